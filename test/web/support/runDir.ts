/** The environment variable naming the jest run's scratch directory (set by test/globalSetup.ts). */
export const RUN_DIR_VARIABLE = 'PLEDGES_E2E_RUN_DIR';
