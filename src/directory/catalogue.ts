import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { CATEGORY_CODES, isCategoryCode, type Category, type CategoryCode } from './types.js';

/** The catalogue shipped with the code; editable without code changes. */
export const DEFAULT_CATALOGUE_FILE = path.join(__dirname, 'catalogue.yaml');

/** The skill vocabulary shared by the catalogue, the directory and volunteer registration. */
export const SKILLS = [
  'companion',
  'escort',
  'medical',
  'errand',
  'repair',
  'electrical',
  'plumbing',
  'digital',
  'counseling',
  'legal',
  'childcare',
  'tutoring',
  'cleaning',
  'disability',
  'sign_language',
  'first_aid',
  'driving',
] as const;
export type Skill = (typeof SKILLS)[number];

/** Chinese labels, for registration prompts and profiles. */
export const SKILL_NAMES: Record<Skill, string> = {
  companion: '陪伴聊天',
  escort: '陪同出行',
  medical: '医护',
  errand: '代买代办',
  repair: '维修',
  electrical: '电工',
  plumbing: '水暖',
  digital: '智能手机教学',
  counseling: '心理咨询',
  legal: '法律',
  childcare: '儿童看护',
  tutoring: '课业辅导',
  cleaning: '保洁',
  disability: '助残',
  sign_language: '手语',
  first_aid: '急救',
  driving: '驾车',
};

export function isSkill(value: unknown): value is Skill {
  return typeof value === 'string' && (SKILLS as readonly string[]).includes(value);
}

/** A catalogue entry as loaded: a Category plus the typical words residents use for it. */
export interface CatalogueEntry extends Category {
  words: string[];
}

/** One skill flag from the vocabulary, for zod schemas of files that mention skills. */
export const skillSchema = z.string().refine(isSkill, { error: (iss) => `unknown skill "${String(iss.input)}" (known: ${SKILLS.join(', ')})` });
const skill = skillSchema;

const entrySchema = z
  .strictObject({
    name: z.string().trim().min(1),
    requiredSkills: z.array(skill),
    skills: z.array(skill).min(1),
    defaultHours: z.number().positive().max(12),
    words: z.array(z.string().trim().min(1)).default([]),
  })
  .superRefine((e, ctx) => {
    for (const s of e.requiredSkills) {
      if (!e.skills.includes(s)) ctx.addIssue({ code: 'custom', path: ['requiredSkills'], message: `required skill "${s}" must also be listed in skills` });
    }
  });

/**
 * Read and validate the service catalogue (YAML). Reads the file on every call.
 * Throws an Error naming the file and the offending entry: unknown or missing codes, missing or bad fields, unknown skills.
 * @example categoryByCode(loadCatalogue(), 'legal_aid').requiredSkills // ['legal']
 */
export function loadCatalogue(file: string = DEFAULT_CATALOGUE_FILE): CatalogueEntry[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`${file}: cannot read the service catalogue: ${(err as Error).message}`, { cause: err });
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new Error(`${file}: not valid YAML: ${(err as Error).message}`, { cause: err });
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new Error(`${file}: expected a mapping from category code to its entry`);
  }
  const problems: string[] = [];
  const entries: CatalogueEntry[] = [];
  for (const [code, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!isCategoryCode(code)) {
      problems.push(`unknown category code "${code}" (known: ${CATEGORY_CODES.join(', ')})`);
      continue;
    }
    const parsed = entrySchema.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`category "${code}": ${describeIssue(issue, value)}`);
      continue;
    }
    entries.push({ code, ...parsed.data });
  }
  for (const code of CATEGORY_CODES) {
    if (!(code in (raw as Record<string, unknown>))) problems.push(`category "${code}" is missing`);
  }
  if (problems.length > 0) throw new Error(`${file}: invalid service catalogue:\n  ${problems.join('\n  ')}`);
  return entries;
}

/**
 * The catalogue entry for a code; throws when the catalogue lacks it (a loaded catalogue has every code).
 * @example categoryByCode(catalogue, 'home_repair').name // '家居维修'
 */
export function categoryByCode<C extends Category>(catalogue: readonly C[], code: CategoryCode): C {
  const found = catalogue.find((c) => c.code === code);
  if (!found) throw new Error(`Service catalogue has no category "${code}"`);
  return found;
}

/**
 * Whether a volunteer with these skills may take orders of this category and fits it:
 * holds every required skill and at least one fit skill.
 * @example canServe(categoryByCode(catalogue, 'legal_aid'), ['legal']) // true
 */
export function canServe(category: Category, skills: readonly string[]): boolean {
  return category.requiredSkills.every((s) => skills.includes(s)) && category.skills.some((s) => skills.includes(s));
}

/** "missing field x" when the key is absent, otherwise "x: zod's message". */
function describeIssue(issue: z.core.$ZodIssue, root: unknown): string {
  const where = issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i > 0 ? '.' : ''}${String(p)}`)).join('');
  let parent: unknown = root;
  for (const p of issue.path.slice(0, -1)) parent = parent && typeof parent === 'object' ? (parent as Record<PropertyKey, unknown>)[p] : undefined;
  const last = issue.path[issue.path.length - 1];
  if (issue.code === 'invalid_type' && last !== undefined && parent && typeof parent === 'object' && !(last in parent)) {
    return `missing field "${where}"`;
  }
  if (issue.code === 'invalid_type' && root === null) return 'entry is empty';
  return where ? `${where}: ${issue.message}` : issue.message;
}
