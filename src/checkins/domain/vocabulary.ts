/** The check-ins' vocabulary, one home each; zod enums and types are built from these arrays. */

export const SLOT_NAMES = ['morning', 'evening'] as const;
export type SlotName = (typeof SLOT_NAMES)[number];

/** workers: the secretary with the community's workers; grid: a grid worker with the building leads. */
export const TIERS = ['workers', 'grid'] as const;
export type Tier = (typeof TIERS)[number];

/** Risk levels, least to most severe. */
export const RISK_LEVELS = ['一般', '较大', '重大'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** The needs list (居民需求清单) and the risk list (风险隐患清单). */
export const ITEM_KINDS = ['need', 'risk'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

export const ITEM_STATUSES = ['open', 'closed', 'converted'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];
