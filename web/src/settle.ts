/** What is chosen at payment beside the tender: points redeemed, a discount on the whole sale. */
export interface Settlement {
  readonly redeem: number;
  /** A percentage as typed ('' for none); the node checks it and asks for a manager over the limit. */
  readonly discount: string;
}

export const NO_SETTLEMENT: Settlement = { redeem: 0, discount: '' };

/** The settlement in the API's fields (POS Invoice's redeem_loyalty_points, additional_discount_percentage). */
export function settlementBody(s: Settlement) {
  return {
    ...(s.redeem > 0 ? { redeem_loyalty_points: s.redeem } : {}),
    ...(/^\d+(\.\d+)?$/.test(s.discount) && !/^0+(\.0+)?$/.test(s.discount)
      ? { additional_discount_percentage: s.discount }
      : {}),
  };
}
