import { type DevAccount, devAccounts } from '@aesc/chain';
import { type AutoDisputeOptions, type ChannelClient, type ChannelStore, type ClientConfig, type SigningPolicy, connectChannel, memoryStore } from '@aesc/channel';
import { buildConnectUrl } from '@aesc/channel-api';
import { signTransaction } from '@aesc/crypto';
import { type EncodedTx, type SignedTx, encodeObject, encodeTx, fromHex } from '@aesc/encoding';
import { type TreeSet, buildPoi } from '@aesc/state';
import { txFeeGas } from '@aesc/protocol';
import { type TransportConnector, parseJson, webSocketConnector } from '@aesc/rpc';
import type { NodeHandle } from '../dev-node.js';

/** Two dev accounts opening a channel through a node: connect params and @aesc/channel clients (tests only). */
export interface Pair {
  readonly initiator: ChannelClient;
  readonly responder: ChannelClient;
  readonly accounts: readonly [DevAccount, DevAccount];
  readonly config: Omit<ClientConfig, 'role'>;
}

export const SEED_AMOUNTS = { initiatorAmount: 70_000_000_000_000n, responderAmount: 40_000_000_000_000n, pushAmount: 1n, channelReserve: 2n, lockPeriod: 10n };

/** Keeps making key blocks while `work` runs (minimum depths, lock periods). */
export async function withBlocks<T>(node: NodeHandle, work: () => Promise<T>, everyMs = 30): Promise<T> {
  let stop = false;
  const loop = (async () => {
    while (!stop) {
      await node.chain!.chain.emitKeyBlocks(1);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  try {
    return await work();
  } finally {
    stop = true;
    await loop;
  }
}

/** Opens both clients against `node` (responder first, as the æternity node wants a listener). */
export async function openPair(
  node: NodeHandle,
  options: {
    amounts?: Partial<typeof SEED_AMOUNTS>;
    port: number;
    policy?: SigningPolicy;
    accounts?: readonly [DevAccount, DevAccount];
    initiatorStore?: ChannelStore;
    /** The initiator disputes without its user (`autoDispute` of @aesc/channel). */
    initiatorAutoDispute?: AutoDisputeOptions | boolean;
    /** Wraps a party's connection to the node (to watch or alter frames in tests). */
    wrap?: (role: 'initiator' | 'responder', connector: TransportConnector) => TransportConnector;
    /** More connect params for both parties (`msg_forwarding`, `minimum_depth`, …). */
    connectParams?: Readonly<Record<string, string | number | boolean>>;
  },
): Promise<Pair> {
  const [a, b] = options.accounts ?? ((await devAccounts(2)) as [DevAccount, DevAccount]);
  const amounts = { ...SEED_AMOUNTS, ...options.amounts };
  const config = { initiator: a.address, responder: b.address, networkId: node.node.chainInfo.networkId, ...amounts };
  const url = (role: 'initiator' | 'responder') =>
    buildConnectUrl(node.channelUrl, {
      protocol: 'json-rpc',
      role,
      host: '127.0.0.1',
      port: options.port,
      initiator_id: a.address,
      responder_id: b.address,
      initiator_amount: amounts.initiatorAmount,
      responder_amount: amounts.responderAmount,
      push_amount: amounts.pushAmount,
      channel_reserve: amounts.channelReserve,
      lock_period: amounts.lockPeriod,
      ...options.connectParams,
    });
  const signer = (acc: DevAccount) => ({
    address: acc.address,
    signTransaction: (tx: Uint8Array, o: { networkId: string }) => signTransaction(tx, o.networkId, fromHex(acc.secretKey)!),
  });
  const connect = (role: 'initiator' | 'responder', acc: DevAccount) =>
    connectChannel({
      connect: options.wrap ? options.wrap(role, webSocketConnector(url(role))) : webSocketConnector(url(role)),
      config: { role, ...config },
      signer: signer(acc),
      store: role === 'initiator' && options.initiatorStore ? options.initiatorStore : memoryStore(),
      ...(options.policy ? { policy: options.policy } : {}),
      ...(role === 'initiator' && options.initiatorAutoDispute !== undefined ? { autoDispute: options.initiatorAutoDispute } : {}),
    });
  const responder = await connect('responder', b);
  const initiator = await connect('initiator', a);
  return { initiator, responder, accounts: [a, b], config };
}

/**
 * A participant's close_solo of an old state, signed and ready to post straight to the chain (a
 * cheating peer, for slash tests): the fee is the minimum at the miner's gas price.
 */
export async function staleCloseSolo(p: {
  readonly channelId: `ch_${string}`;
  readonly from: DevAccount;
  readonly accounts: readonly [DevAccount, DevAccount];
  readonly stale: { readonly tx: SignedTx; readonly state: { readonly trees: TreeSet } };
  readonly nonce: bigint;
  readonly networkId: string;
}): Promise<EncodedTx> {
  const [a, b] = p.accounts;
  const build = (fee: bigint) => ({
    tag: 'channel_close_solo_tx' as const,
    version: 1 as const,
    channelId: p.channelId,
    fromId: p.from.address,
    payload: p.stale.tx,
    poi: buildPoi(p.stale.state.trees, { accounts: [a.address, b.address] }),
    ttl: 0n,
    fee,
    nonce: p.nonce,
  });
  const tx = build(txFeeGas(build(10n ** 15n)) * 1_000_000_000n);
  const sig = await signTransaction(encodeObject(tx), p.networkId, fromHex(p.from.secretKey)!);
  return encodeTx({ tag: 'signed_tx', version: 1, signatures: [sig], tx });
}

/** A connector that also hands every frame its party sends to `sent` (parsed). */
export function recording(connector: TransportConnector, sent: { method?: string; params?: Record<string, unknown> }[]): TransportConnector {
  return async (handlers, signal) => {
    const transport = await connector(handlers, signal);
    return {
      ...transport,
      send: (text: string) => {
        sent.push(parseJson(text) as { method?: string; params?: Record<string, unknown> });
        transport.send(text);
      },
    };
  };
}

