/**
 * Zod schemas of what the handshake reads from a peer: Credentials (2.2.1 with roles, 2.1.1 flat), the
 * versions list and version details (credentials.asciidoc §Object description, version_information_endpoint).
 */
import { z } from 'zod';

const printable = (max: number) => z.string().min(1).max(max).regex(/^[\x20-\x7e]+$/, 'expected printable ASCII');
const url = z.string().max(255).regex(/^https?:\/\/\S+$/, 'expected an http(s) URL');
/** Credentials token: string(64), printable non-whitespace ASCII (credentials.asciidoc). */
const credentialsToken = z.string().min(1).max(64).regex(/^[\x21-\x7e]+$/, 'expected printable ASCII without spaces');
const image = z.object({ url, thumbnail: url.optional(), category: z.string(), type: z.string().max(4), width: z.number().int().optional(), height: z.number().int().optional() });
const businessDetails = z.object({ name: z.string().min(1).max(100), website: url.optional(), logo: image.optional() });
const role = z.enum(['CPO', 'EMSP', 'HUB', 'NAP', 'NSP', 'OTHER', 'SCSP']);

export const credentials221 = z.object({
  token: credentialsToken,
  url,
  roles: z.array(z.object({
    role,
    business_details: businessDetails,
    party_id: printable(3),
    country_code: printable(2),
  })).min(1),
});

export const credentials211 = z.object({
  token: credentialsToken,
  url,
  business_details: businessDetails,
  party_id: printable(3),
  country_code: printable(2),
});

export const versionList = z.array(z.object({ version: z.string().min(1).max(10), url })).min(1);

export const versionDetails = z.object({
  version: z.string().min(1).max(10),
  endpoints: z.array(z.object({ identifier: z.string().min(1).max(50), role: z.enum(['SENDER', 'RECEIVER']).optional(), url })).min(1),
});

export type Credentials221 = z.infer<typeof credentials221>;
export type Credentials211 = z.infer<typeof credentials211>;

/** The first issue as one line: "roles.0.party_id: Too big: expected string to have <=3 characters". */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || '(body)'}: ${issue.message}` : 'invalid';
}
