import * as M from './methods/index.js';
import type { ClientMethodSpec } from './param-schema.js';

/** Every client → node method other than sign replies, by method name. */
export const CLIENT_METHODS = {
  [M.UPDATE_NEW.method]: M.UPDATE_NEW,
  [M.UPDATE_NEW_CONTRACT.method]: M.UPDATE_NEW_CONTRACT,
  [M.UPDATE_CALL_CONTRACT.method]: M.UPDATE_CALL_CONTRACT,
  [M.DRY_RUN_CALL_CONTRACT.method]: M.DRY_RUN_CALL_CONTRACT,
  [M.GET_CONTRACT_CALL.method]: M.GET_CONTRACT_CALL,
  [M.GET_CONTRACT.method]: M.GET_CONTRACT,
  [M.CLEAN_CONTRACT_CALLS.method]: M.CLEAN_CONTRACT_CALLS,
  [M.GET_BALANCES.method]: M.GET_BALANCES,
  [M.GET_POI.method]: M.GET_POI,
  [M.GET_OFFCHAIN_STATE.method]: M.GET_OFFCHAIN_STATE,
  [M.DEPOSIT.method]: M.DEPOSIT,
  [M.WITHDRAW.method]: M.WITHDRAW,
  [M.SHUTDOWN.method]: M.SHUTDOWN,
  [M.CLOSE_SOLO.method]: M.CLOSE_SOLO,
  [M.SNAPSHOT_SOLO.method]: M.SNAPSHOT_SOLO,
  [M.SLASH.method]: M.SLASH,
  [M.SETTLE.method]: M.SETTLE,
  [M.FORCE_PROGRESS.method]: M.FORCE_PROGRESS,
  [M.ASSUME_MINIMUM_DEPTH.method]: M.ASSUME_MINIMUM_DEPTH,
  [M.MESSAGE.method]: M.MESSAGE,
  [M.LEAVE.method]: M.LEAVE,
  [M.SYSTEM.method]: M.SYSTEM,
  [M.HISTORY_FETCH.method]: M.HISTORY_FETCH,
} as const satisfies Record<string, ClientMethodSpec>;

/** The name of a client → node method other than sign replies. */
export type ClientMethod = keyof typeof CLIENT_METHODS;

/** Params per client method. */
export interface ClientMethodParams {
  'channels.update.new': M.UpdateNewParams;
  'channels.update.new_contract': M.UpdateNewContractParams;
  'channels.update.call_contract': M.UpdateCallContractParams;
  'channels.dry_run.call_contract': M.DryRunCallContractParams;
  'channels.get.contract_call': M.GetContractCallParams;
  'channels.get.contract': M.GetContractParams;
  'channels.clean_contract_calls': M.CleanContractCallsParams;
  'channels.get.balances': M.GetBalancesParams;
  'channels.get.poi': M.GetPoiParams;
  'channels.get.offchain_state': M.GetOffchainStateParams;
  'channels.deposit': M.DepositParams;
  'channels.withdraw': M.WithdrawParams;
  'channels.shutdown': M.ShutdownParams;
  'channels.close_solo': M.CloseSoloParams;
  'channels.snapshot_solo': M.SnapshotSoloParams;
  'channels.slash': M.SlashParams;
  'channels.settle': M.SettleParams;
  'channels.force_progress': M.ForceProgressParams;
  'channels.assume_minimum_depth': M.AssumeMinimumDepthParams;
  'channels.message': M.MessageParams;
  'channels.leave': M.LeaveParams;
  'channels.system': M.SystemParams;
  'channels.history.fetch': M.HistoryFetchParams;
}

/** Whether `method` is a client method other than a sign reply. */
export function isClientMethod(method: string): method is ClientMethod {
  return Object.hasOwn(CLIENT_METHODS, method);
}
