import { type AccountV1, type AccountV2, type AccountV3, accountV1, accountV2, accountV3 } from './account.js';
import { type ChannelV1, type ChannelV2, type ChannelV3, channelV1, channelV2, channelV3 } from './channel.js';
import {
  type ChannelCloseMutualTx,
  type ChannelCloseSoloTx,
  type ChannelCreateTxV1,
  type ChannelCreateTxV2,
  type ChannelDepositTx,
  type ChannelForceProgressTx,
  type ChannelSetDelegatesTx,
  type ChannelSettleTx,
  type ChannelSlashTx,
  type ChannelSnapshotSoloTx,
  type ChannelWithdrawTx,
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
  type CompilerSophia,
  type ContractCallTx,
  type ContractCallV2,
  type ContractCallV3,
  type ContractCreateTx,
  type ContractV1,
  type ContractV2,
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
import {
  type GaAttachTx,
  type GaMetaTxV1,
  type GaMetaTxV2,
  type PayingForTx,
  gaAttachTxV1,
  gaMetaTxV1,
  gaMetaTxV2,
  payingForTxV1,
} from './ga.js';
import {
  type ChannelOffchainTxV1,
  type ChannelOffchainTxV2,
  type ChannelOffchainUpdate,
  channelOffchainTxV1,
  channelOffchainTxV2,
  channelOffchainUpdateCallContractV1,
  channelOffchainUpdateCreateContractV1,
  channelOffchainUpdateDepositV1,
  channelOffchainUpdateMetaV2,
  channelOffchainUpdateTransferV1,
  channelOffchainUpdateWithdrawV1,
} from './offchain.js';
import { type TreesPoi, treesPoiV1 } from './poi.js';
import { type SignedTx, signedTxV1 } from './signed-tx.js';
import { type SpendTx, spendTxV1 } from './spend-tx.js';
import {
  type AccountsMtree,
  type CallsMtree,
  type ChannelsMtree,
  type ContractsMtree,
  type Mtree,
  type MtreeValue,
  type NameserviceMtree,
  type OraclesMtree,
  type StateTrees,
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
export * from './channel.js';
export * from './channel-txs.js';
export * from './contract.js';
export * from './ga.js';
export * from './offchain.js';
export * from './poi.js';
export * from './signed-tx.js';
export * from './spend-tx.js';
export * from './state-trees.js';

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
  channelOffchainUpdateTransferV1,
  channelOffchainUpdateDepositV1,
  channelOffchainUpdateWithdrawV1,
  channelOffchainUpdateCreateContractV1,
  channelOffchainUpdateCallContractV1,
  channelOffchainUpdateMetaV2,
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

/** A channel transaction that goes on chain. */
export type ChannelTx =
  | ChannelCreateTxV1
  | ChannelCreateTxV2
  | ChannelDepositTx
  | ChannelWithdrawTx
  | ChannelCloseMutualTx
  | ChannelCloseSoloTx
  | ChannelSlashTx
  | ChannelSettleTx
  | ChannelSnapshotSoloTx
  | ChannelForceProgressTx
  | ChannelSetDelegatesTx;

/** Any transaction a signed tx can wrap. */
export type Transaction =
  | SpendTx
  | ChannelTx
  | ChannelOffchainTxV1
  | ChannelOffchainTxV2
  | ContractCreateTx
  | ContractCallTx
  | GaAttachTx
  | GaMetaTxV1
  | GaMetaTxV2
  | PayingForTx;

/** Every chain object the codecs decode and encode. */
export type ChainObject =
  | Transaction
  | SignedTx
  | ChannelOffchainUpdate
  | AccountV1
  | AccountV2
  | AccountV3
  | ContractV1
  | ContractV2
  | ContractCallV2
  | ContractCallV3
  | CompilerSophia
  | ChannelV1
  | ChannelV2
  | ChannelV3
  | TreesPoi
  | StateTrees
  | Mtree
  | MtreeValue
  | ContractsMtree
  | CallsMtree
  | ChannelsMtree
  | NameserviceMtree
  | OraclesMtree
  | AccountsMtree;
