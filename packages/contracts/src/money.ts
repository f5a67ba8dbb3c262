import { z } from "zod";

/** `{ amount: "45.00", currency: "EUR" }`: a decimal string, never a float (API.md). */
export const Money = z.object({
  amount: z.string().regex(/^\d{1,10}(\.\d{1,2})?$/, "a decimal string such as 45.00"),
  currency: z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 code such as EUR"),
});
export type Money = z.infer<typeof Money>;
