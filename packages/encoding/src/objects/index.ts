import { accountV1, accountV2, accountV3 } from './account.js';
import { channelV1, channelV2, channelV3 } from './channel.js';
import {
  channelCloseMutualTxV1,
  channelCloseSoloTxV1,
  channelCreateTxV1,
  channelCreateTxV2,
  channelDepositTxV1,
  channelForceProgressTxV1,
  channelSetDelegatesTxV1,
  channelSettleTxV1,
  channelSlashTxV1,
  channelSnapshotSoloTxV1,
  channelWithdrawTxV1,
} from './channel-txs.js';
import {
  compilerSophiaV1,
  compilerSophiaV2,
  compilerSophiaV3,
  contractCallTxV1,
  contractCallV2,
  contractCallV3,
  contractCreateTxV1,
  contractV1,
  contractV2,
} from './contract.js';
import { gaAttachTxV1, gaMetaTxV1, gaMetaTxV2, payingForTxV1 } from './ga.js';
import {
  channelOffchainTxV1,
  channelOffchainTxV2,
  OFFCHAIN_UPDATE_DEFS,
} from './offchain.js';
import { treesPoiV1 } from './poi.js';
import { signedTxV1 } from './signed-tx.js';
import { spendTxV1 } from './spend-tx.js';
import {
  accountsMtreeV1,
  callsMtreeV1,
  channelsMtreeV1,
  contractsMtreeV1,
  mtreeV1,
  mtreeValueV1,
  nameserviceMtreeV1,
  oraclesMtreeV1,
  stateTreesV0,
} from './state-trees.js';

export * from './account.js';
export * from './chain-object.js';
export * from './channel.js';
export * from './channel-txs.js';
export * from './contract.js';
export * from './ga.js';
export * from './offchain.js';
export * from './poi.js';
export * from './signed-tx.js';
export * from './spend-tx.js';
export * from './state-trees.js';
export * from './transaction.js';

/** Every object definition the codecs support (one per tag and version). */
export const ALL_OBJECT_DEFS = [
  accountV1,
  accountV2,
  accountV3,
  signedTxV1,
  spendTxV1,
  contractV1,
  contractV2,
  contractCallV2,
  contractCallV3,
  contractCreateTxV1,
  contractCallTxV1,
  channelCreateTxV1,
  channelCreateTxV2,
  channelDepositTxV1,
  channelWithdrawTxV1,
  channelCloseMutualTxV1,
  channelCloseSoloTxV1,
  channelSlashTxV1,
  channelSettleTxV1,
  channelSnapshotSoloTxV1,
  channelForceProgressTxV1,
  channelSetDelegatesTxV1,
  channelOffchainTxV1,
  channelOffchainTxV2,
  ...OFFCHAIN_UPDATE_DEFS,
  channelV1,
  channelV2,
  channelV3,
  treesPoiV1,
  stateTreesV0,
  mtreeV1,
  mtreeValueV1,
  contractsMtreeV1,
  callsMtreeV1,
  channelsMtreeV1,
  nameserviceMtreeV1,
  oraclesMtreeV1,
  accountsMtreeV1,
  compilerSophiaV1,
  compilerSophiaV2,
  compilerSophiaV3,
  gaAttachTxV1,
  gaMetaTxV1,
  gaMetaTxV2,
  payingForTxV1,
] as const;
