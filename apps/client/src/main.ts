import './style.css';
import { type ChannelClient, type ChannelEvent, type ChannelStore, type SigningPolicy, connectChannel, indexedDbStore, memoryStore } from '@aesc/channel';
import { buildConnectUrl } from '@aesc/channel-api';
import type { AccountAddress } from '@aesc/encoding';
import { webSocketConnector } from '@aesc/rpc';
import { balanceOf } from '@aesc/state';
import { type Signer, keystoreSigner, memorySigner } from '@aesc/wallet';
import { type DevAccountKeys, devAccountList } from './dev-accounts.js';
import { type FrameRecord, loggingConnector } from './frame-log.js';
import { sequenceDiagramSvg } from './sequence-diagram.js';

const $ = <T extends HTMLElement = HTMLInputElement>(id: string): T => {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`no #${id} in the page`);
  return el as T;
};
const value = (id: string) => $(id).value.trim();
const big = (id: string): bigint => {
  const v = value(id);
  if (!/^\d+$/.test(v)) throw new Error(`${id}: "${v}" is not a non-negative integer`);
  return BigInt(v);
};
const short = (a: string) => (a.length > 16 ? `${a.slice(0, 9)}…${a.slice(-5)}` : a);
const ae = (aettos: bigint) => {
  const whole = aettos / 10n ** 18n;
  const frac = (aettos % 10n ** 18n).toString().padStart(18, '0').replace(/0+$/, '');
  return `${whole}${frac === '' ? '' : `.${frac}`} AE`;
};

let accounts: DevAccountKeys[] = [];
let client: ChannelClient | undefined;
let self: AccountAddress | undefined;
let peer: AccountAddress | undefined;
let frames: FrameRecord[] = [];

function log(text: string, kind: 'info' | 'error' = 'info'): void {
  const li = document.createElement('li');
  li.textContent = `${new Date().toLocaleTimeString()} ${text}`;
  if (kind === 'error') li.className = 'error';
  const list = $('log');
  list.append(li);
  list.scrollTop = list.scrollHeight;
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

function role(): 'initiator' | 'responder' {
  return value('role') === 'responder' ? 'responder' : 'initiator';
}

/** `ws://host/channel` → `http://host`: the node's HTTP API (`/v3`, `/emit_kb`) on the same port. */
function httpBase(): string {
  const url = new URL(value('node-url'));
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  return url.origin;
}

let diagramQueued = false;
function renderDiagram(): void {
  if (diagramQueued) return;
  diagramQueued = true;
  requestAnimationFrame(() => {
    diagramQueued = false;
    const box = $<HTMLDivElement>('diagram');
    const atBottom = box.scrollTop + box.clientHeight >= box.scrollHeight - 30;
    box.innerHTML = sequenceDiagramSvg(frames, { self: `${role()} ${self === undefined ? '' : short(self)}`, node: `node ${new URL(value('node-url')).host}` });
    if (atBottom) box.scrollTop = box.scrollHeight;
  });
}

function setPhase(phase: string): void {
  const el = $('phase');
  el.textContent = phase;
  el.dataset.phase = phase;
  document.body.dataset.phase = phase;
  $<HTMLFieldSetElement>('actions').disabled = client === undefined || phase === 'terminated' || phase === 'closed' || phase === 'connecting';
}

function showBalances(trees: Parameters<typeof balanceOf>[0]): void {
  const show = (id: string, who: AccountAddress | undefined) => {
    const b = who === undefined ? undefined : balanceOf(trees, who);
    $(id).textContent = b === undefined ? '—' : `${b} (${ae(b)})`;
  };
  show('balance-self', self);
  show('balance-peer', peer);
}

function onEvent(e: ChannelEvent): void {
  switch (e.type) {
    case 'phase':
      log(`phase → ${e.phase}`);
      // After a close the node's FSM stops: the channel stays shown as closed.
      if (e.phase === 'terminated' && $('phase').dataset.phase === 'closed') {
        log('the node stopped the channel FSM (the channel is closed on chain)');
        setConnected(false);
        break;
      }
      setPhase(e.phase);
      if (e.phase === 'terminated' || e.phase === 'closed') setConnected(e.phase !== 'terminated');
      break;
    case 'round':
      $('round').textContent = e.round.toString();
      $('channel-id').textContent = client?.state().channelId ?? '—';
      showBalances(e.state.trees);
      log(`round ${e.round} co-signed`);
      break;
    case 'info':
      log(`info: ${e.event}`);
      break;
    case 'on-chain-tx':
      log(`on-chain tx (${e.info}): ${e.txType}`);
      break;
    case 'message':
      log(`message from ${short(e.from)}: ${e.info}`);
      break;
    case 'conflict':
      log(`conflict in round ${e.round} (code ${e.code})`, 'error');
      break;
    case 'refused':
      log(`refused to sign ${e.tag}: ${e.error.message}`, 'error');
      break;
    case 'error':
      log(`error: ${e.error.message}`, 'error');
      break;
  }
}

function setConnected(connected: boolean): void {
  for (const id of ['node-url', 'role', 'key-source', 'dev-index', 'keystore-file', 'keystore-password']) $(id).disabled = connected;
  $<HTMLButtonElement>('connect').disabled = connected;
  $<HTMLButtonElement>('disconnect').disabled = !connected;
}

async function resolveSigner(): Promise<Signer> {
  if (value('key-source') === 'keystore') {
    const file = $('keystore-file').files?.[0];
    if (file === undefined) throw new Error('choose a keystore file');
    return keystoreSigner(JSON.parse(await file.text()) as unknown, $('keystore-password').value);
  }
  const acc = accounts[Number(value('dev-index'))];
  if (acc === undefined) throw new Error('no such dev account');
  return memorySigner(acc.secretKey);
}

async function networkId(): Promise<string> {
  try {
    const res = await fetch(`${httpBase()}/v3/status`);
    if (res.ok) {
      const id = ((await res.json()) as { network_id?: unknown }).network_id;
      if (typeof id === 'string' && id !== '') {
        $('network-id').value = id;
        return id;
      }
    }
  } catch {
    // not reachable (another origin without CORS): fall back to the field
  }
  const typed = value('network-id');
  if (typed === '') throw new Error('could not read the network id from /v3/status: type it in');
  return typed;
}

async function openStore(address: AccountAddress): Promise<ChannelStore> {
  try {
    return await indexedDbStore(`aesc-client-${address}`);
  } catch {
    log('IndexedDB is not available: co-signed rounds are kept in memory only', 'error');
    return memoryStore();
  }
}

async function connect(): Promise<void> {
  setConnected(true);
  try {
    const signer = await resolveSigner();
    self = signer.address;
    $('my-address').textContent = self;
    const other = value('peer');
    if (!/^ak_/.test(other)) throw new Error('the other account must be an ak_… address');
    peer = other as AccountAddress;
    const r = role();
    const [initiator, responder] = r === 'initiator' ? [self, peer] : [peer, self];
    const config = {
      role: r,
      initiator,
      responder,
      networkId: await networkId(),
      initiatorAmount: big('initiator-amount'),
      responderAmount: big('responder-amount'),
      pushAmount: big('push-amount'),
      channelReserve: big('channel-reserve'),
      lockPeriod: big('lock-period'),
    } as const;
    const url = buildConnectUrl(value('node-url'), {
      protocol: 'json-rpc',
      role: r,
      host: new URL(value('node-url')).hostname,
      port: Number(value('port')),
      initiator_id: initiator,
      responder_id: responder,
      initiator_amount: config.initiatorAmount,
      responder_amount: config.responderAmount,
      push_amount: config.pushAmount,
      channel_reserve: config.channelReserve,
      lock_period: config.lockPeriod,
      minimum_depth: 0,
      minimum_depth_strategy: 'plain',
    });
    frames = [];
    renderDiagram();
    const policy: SigningPolicy = async (request) => {
      if (!request.peerProposal || !$('confirm-peer').checked) return true;
      return window.confirm(`Co-sign the peer's ${request.tag}?`) ? true : { abort: 1, reason: 'declined in the app' };
    };
    log(`connecting as ${r} ${short(self)} to ${value('node-url')}`);
    const connected = await connectChannel({
      connect: loggingConnector(webSocketConnector(url), (f) => {
        frames.push(f);
        renderDiagram();
      }),
      config,
      signer,
      store: await openStore(self),
      policy,
    });
    client = connected;
    connected.on(onEvent);
    setPhase(connected.state().phase);
  } catch (e) {
    log(`connect failed: ${errorText(e)}`, 'error');
    client = undefined;
    setConnected(false);
    setPhase('disconnected');
  }
}

/** Runs an action on the channel and logs its outcome. */
function action(id: string, name: string, run: (c: ChannelClient) => Promise<unknown>): void {
  $<HTMLButtonElement>(id).addEventListener('click', () => {
    const c = client;
    if (c === undefined) return;
    log(`${name}…`);
    run(c).then(
      (result) => log(`${name}: done${typeof result === 'bigint' ? ` (round ${result})` : ''}`),
      (e: unknown) => log(`${name} failed: ${errorText(e)}`, 'error'),
    );
  });
}

function fillPeer(): void {
  const acc = accounts[Number(value('peer-dev'))];
  if (acc !== undefined) $('peer').value = acc.address;
}

function updateConnectLabel(): void {
  $<HTMLButtonElement>('connect').textContent = role() === 'initiator' ? 'Open channel' : 'Join channel';
}

async function init(): Promise<void> {
  $('node-url').value = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/channel`;
  const params = new URLSearchParams(location.search);
  if (params.get('node')) $('node-url').value = params.get('node')!;
  if (params.get('role') === 'responder') $('role').value = 'responder';
  accounts = await devAccountList(10);
  const options = (select: string) => {
    const el = $<HTMLSelectElement>(select);
    for (const a of accounts) el.add(new Option(`#${a.index} ${short(a.address)}`, String(a.index)));
  };
  options('dev-index');
  options('peer-dev');
  const mine = Number(params.get('account') ?? (role() === 'initiator' ? 0 : 1));
  $('dev-index').value = String(mine);
  $('peer-dev').value = String(Number(params.get('peer') ?? (mine === 0 ? 1 : 0)));
  $('my-address').textContent = accounts[mine]?.address ?? '…';
  fillPeer();
  updateConnectLabel();

  const keySource = () => {
    document.body.classList.toggle('hide-keystore', value('key-source') !== 'keystore');
    document.body.classList.toggle('hide-dev', value('key-source') === 'keystore');
    if (value('key-source') === 'dev') $('my-address').textContent = accounts[Number(value('dev-index'))]?.address ?? '…';
  };
  keySource();
  $('key-source').addEventListener('change', keySource);
  $('dev-index').addEventListener('change', keySource);
  $('peer-dev').addEventListener('change', fillPeer);
  $('role').addEventListener('change', () => {
    updateConnectLabel();
    renderDiagram();
  });
  $('connect').addEventListener('click', () => void connect());
  $('disconnect').addEventListener('click', () => {
    client?.close();
    client = undefined;
    setConnected(false);
    setPhase('disconnected');
    log('disconnected');
  });

  const amount = () => big('amount');
  action('transfer', 'transfer', (c) => c.transfer(peer!, amount()));
  action('deposit', 'deposit', (c) => c.deposit(amount()));
  action('withdraw', 'withdraw', (c) => c.withdraw(amount()));
  action('send-message', 'message', (c) => c.sendMessage(peer!, value('message-text')));
  action('close', 'mutual close', (c) => c.shutdown());
  action('close-solo', 'solo close', (c) => c.closeSolo());
  action('settle', 'settle', (c) => c.settle());
  action('leave', 'leave', (c) => c.leave());
  $('mine').addEventListener('click', async () => {
    try {
      const n = Number(value('kb-count'));
      // the node's dev-mode endpoint (GET, as its dev-mode plugin serves it)
      const res = await fetch(`${httpBase()}/emit_kb?n=${n}`, { headers: { accept: 'application/json' } });
      if (!res.ok) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
      const { height } = ((await res.json()) as { chain: { height: number } }).chain;
      $('height').textContent = `height ${height}`;
      log(`mined ${n} key blocks: height ${height}`);
    } catch (e) {
      log(`mining failed: ${errorText(e)}`, 'error');
    }
  });
  renderDiagram();
  document.body.dataset.ready = 'true';
}

init().catch((e: unknown) => log(`start failed: ${errorText(e)}`, 'error'));
