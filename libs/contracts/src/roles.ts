/** Role names are wire values (stored on users, carried in tokens): never rename one. */
export const ROLES = ['admin', 'test_manager', 'dev_lead', 'qa_engineer', 'product_owner'] as const;
export type Role = (typeof ROLES)[number];
