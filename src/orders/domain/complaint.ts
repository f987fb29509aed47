/** The one complaint detector (SPEC §4.7): words after a service that mean it went wrong. */
const COMPLAINT = /没(?:有)?人?来(?!得)|没到|没(?:有)?(?:解决|修好|弄好|上门)|态度(?:很|太|非常)?(?:差|不好|恶劣)|投诉|不满意|太差|很差|差评|爽约|放鸽子/;

/**
 * Whether a resident's words after a service are a complaint (a rating of 1 by itself, or one that opens a follow-up).
 * @example isComplaint('志愿者没来') // true
 */
export function isComplaint(text: string): boolean {
  return COMPLAINT.test(text);
}
