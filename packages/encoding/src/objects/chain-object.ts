import type { AccountV1, AccountV2, AccountV3 } from './account.js';
import type { ChannelV1, ChannelV2, ChannelV3 } from './channel.js';
import type { CompilerSophia, ContractCallV2, ContractCallV3, ContractV1, ContractV2 } from './contract.js';
import type { ChannelOffchainUpdate } from './offchain.js';
import type { TreesPoi } from './poi.js';
import type {
  AccountsMtree,
  CallsMtree,
  ChannelsMtree,
  ContractsMtree,
  Mtree,
  MtreeValue,
  NameserviceMtree,
  OraclesMtree,
  StateTrees,
} from './state-trees.js';
import type { SignedTx, Transaction } from './transaction.js';

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
