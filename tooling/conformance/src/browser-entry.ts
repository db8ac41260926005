// Bundled for the browser test: a page that runs @aesc/channel with the browser's own WebSocket,
// @noble crypto and an IndexedDB store.
import { connectChannel, indexedDbStore } from '@aesc/channel';
import { generateKeyPair, signTransaction } from '@aesc/crypto';
import { type AccountAddress, fromHex, toHex } from '@aesc/encoding';
import { webSocketConnector } from '@aesc/rpc';

interface PageConfig {
  readonly url: string;
  readonly initiator: AccountAddress;
  readonly responder: AccountAddress;
  readonly amounts: readonly [string, string, string, string, string];
  /** The recorded responder's signatures (hex), by the hex of the tx bytes each signs: the corpus has no secret keys. */
  readonly signatures: Readonly<Record<string, string>>;
}

const w = globalThis as unknown as { startClient: (c: PageConfig) => Promise<void>; clientRound: () => string; storedRound: () => Promise<string> };
let round = '0';
let channelId = '';
w.startClient = async (c) => {
  const keys = await generateKeyPair();
  const [initiatorAmount, responderAmount, pushAmount, channelReserve, lockPeriod] = c.amounts.map(BigInt) as [bigint, bigint, bigint, bigint, bigint];
  const client = await connectChannel({
    connect: webSocketConnector(c.url),
    config: { role: 'responder', initiator: c.initiator, responder: c.responder, networkId: 'local_iris_testnet', initiatorAmount, responderAmount, pushAmount, channelReserve, lockPeriod },
    store: await indexedDbStore('aesc-browser-test'),
    signer: {
      address: c.responder,
      signTransaction: async (tx, o) => {
        const recorded = c.signatures[toHex(tx)];
        return recorded === undefined ? signTransaction(tx, o.networkId, keys.secretKey) : fromHex(recorded)!;
      },
    },
  });
  client.on((e) => {
    if (e.type === 'round') {
      round = e.round.toString();
      channelId = client.state().channelId ?? '';
    }
  });
};
w.clientRound = () => round;
w.storedRound = async () => {
  const stored = await (await indexedDbStore('aesc-browser-test')).load(channelId as never);
  return stored?.lastCoSigned.state.round.toString() ?? 'none';
};
