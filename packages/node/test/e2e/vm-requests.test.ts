import { loadTranscript } from '@aesc/corpus';
import { decodeTx } from '@aesc/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import { type Frame, method, reply } from './raw-client.js';
import { TestNodes } from './test-nodes.js';

// Off-chain contracts and force progress need the FATE VM, which this node does not have: each
// such request is refused with the node's answer (issue 6), and the channel goes on as it was.

const nodes = new TestNodes();
afterEach(() => nodes.close());

/** A contract's byte code and init call data, as a recorded client sent them (sc_ws_basic_contracts). */
const recorded = loadTranscript('contracts/sc_ws_basic_contracts.json').steps.find(
  (s) => s.kind === 'send' && (s.message as Frame).method === 'channels.update.new_contract',
)!.message as Frame & { params: Record<string, unknown> };
const { code, call_data } = recorded.params as { code: string; call_data: string };
const CONTRACT = 'ct_4haEgfNxEmpG8F5cXA8q4fgECEHLif6KG92Rvz3afsBGXmHVs';

describe('requests that need the contract VM', () => {
  it('are refused with the node’s errors, and the channel goes on at the round it had', async () => {
    const { i, r, a, b } = await nodes.openChannel();
    const framesBefore = { i: i.frames.length, r: r.frames.length };
    const ask = async (id: number, m: string, params: Record<string, unknown>) => {
      i.send({ jsonrpc: '2.0', id, method: m, params });
      return (await i.next(reply(id))).error as { code: number; message: string; data?: { code: number }[] };
    };
    const call = { contract_id: CONTRACT, abi_version: 3, amount: 1, call_data };
    // Creating or calling a contract, a dry run, force progress: "Method not found", as the node
    // answers any request it does not handle.
    const unhandled = { code: -32601, message: 'Method not found' };
    expect(await ask(1, 'channels.update.new_contract', { code, call_data, deposit: 10, vm_version: 7, abi_version: 3 })).toMatchObject(unhandled);
    expect(await ask(2, 'channels.update.call_contract', call)).toMatchObject(unhandled);
    expect(await ask(3, 'channels.dry_run.call_contract', call)).toMatchObject(unhandled);
    expect(await ask(4, 'channels.force_progress', { ...call, gas_price: 1_000_000_000 })).toMatchObject(unhandled);
    // Reading a contract or a call: the node's answers for ones the channel does not have.
    expect(await ask(5, 'channels.get.contract', { pubkey: CONTRACT })).toMatchObject({ code: 3, data: [{ code: 100 }] });
    expect(await ask(6, 'channels.get.contract_call', { contract_id: CONTRACT, caller_id: a.address, round: 1 })).toMatchObject({ code: 3, data: [{ code: 1004 }] });
    // Nothing else happened: no sign request, no report, for either client.
    expect(i.frames.slice(framesBefore.i).filter((f) => f.id === undefined)).toEqual([]);
    expect(r.frames.slice(framesBefore.r)).toEqual([]);
    // The next transfer is round 2.
    i.send({ jsonrpc: '2.0', method: 'channels.update.new', params: { from: a.address, to: b.address, amount: 1 } });
    const update = await r.next(method('channels.update'));
    expect(decodeTx(update.params?.data?.state as string).tx).toMatchObject({ tag: 'channel_offchain_tx', round: 2n });
    i.send({ jsonrpc: '2.0', id: 7, method: 'channels.get.offchain_state', params: {} });
    expect(((await i.next(reply(7))).result as { signed_tx: string }).signed_tx).toBe(update.params?.data?.state);
  });

  it('clean_contract_calls is answered as the node answers it: the action, as a result or a reply notification', async () => {
    const { i } = await nodes.openChannel();
    // The recorded answer to the request without id (sc_ws_basic_contracts).
    const steps = loadTranscript('contracts/sc_ws_basic_contracts.json').steps;
    const at = steps.findIndex((s) => s.kind === 'send' && (s.message as Frame).method === 'channels.clean_contract_calls');
    const recordedReply = steps[at + 1]!.message as Frame;
    expect(recordedReply.method).toBe('channels.calls_pruned.reply');
    i.send({ jsonrpc: '2.0', method: 'channels.clean_contract_calls', params: {} });
    const notified = await i.next(method('channels.calls_pruned.reply'));
    expect(notified.params?.data).toEqual(recordedReply.params?.data);
    expect(notified.params?.data).toEqual({ action: 'calls_pruned' });
    expect(notified.params?.channel_id).toBe(i.frames.find((f) => f.method === 'channels.update')?.params?.channel_id);
    i.send({ jsonrpc: '2.0', id: 8, method: 'channels.clean_contract_calls', params: {} });
    expect((await i.next(reply(8))).result).toEqual({ action: 'calls_pruned' });
  });
});
