/** The simulator's demo data: a deterministic, streaming ERPNext v15 retail company. */
export { demoSeed, type DemoSeedOptions, type SeedTable } from './demo.js';
export { ean13CheckDigit, isValidEan13, weighedEan13, WEIGHED_PREFIX } from './ean.js';
export type { SeedDoc, Scalar } from './record.js';
export { HERO, type HeroKey } from './heroes.js';
export { POS_PROFILES } from './pos.js';
export { companyAccountDefaults } from './org.js';
export * as SeedNames from './names.js';
