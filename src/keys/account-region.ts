// What an account ID and a Region name look like where Trent reads them outside a signed request (seed files,
// admin routes); a Region follows the model's RegionType pattern, as ReplicateKey's ReplicaRegion does.
export const isAccountId = (v: unknown): v is string => typeof v === 'string' && /^\d{12}$/.test(v);
export const isRegionName = (v: unknown): v is string => typeof v === 'string' && /^([a-z]+-){2,3}\d+$/.test(v);
