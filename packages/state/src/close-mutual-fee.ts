/**
 * How a mutual close pays its fee out of the two final balances (`aesc_fsm:pay_close_mutual_fee/3`):
 * half each (the initiator pays the odd unit), or whatever one side lacks the other pays. Returns
 * undefined when the balances cannot cover the fee.
 */
export function payCloseMutualFee(
  fee: bigint,
  initiatorAmount: bigint,
  responderAmount: bigint,
): { readonly initiatorAmountFinal: bigint; readonly responderAmountFinal: bigint } | undefined {
  const ceil = (fee + 1n) / 2n;
  const floor = fee / 2n;
  if (initiatorAmount + responderAmount < fee) return undefined;
  if (initiatorAmount >= ceil && responderAmount >= floor) {
    return { initiatorAmountFinal: initiatorAmount - ceil, responderAmountFinal: responderAmount - floor };
  }
  if (responderAmount >= ceil && initiatorAmount >= floor) {
    return { initiatorAmountFinal: initiatorAmount - floor, responderAmountFinal: responderAmount - ceil };
  }
  if (initiatorAmount > responderAmount) {
    return { initiatorAmountFinal: initiatorAmount - fee + responderAmount, responderAmountFinal: 0n };
  }
  return { initiatorAmountFinal: 0n, responderAmountFinal: responderAmount - fee + initiatorAmount };
}
