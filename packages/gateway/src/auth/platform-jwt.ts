import { importSPKI, jwtVerify, type CryptoKey, type KeyObject } from 'jose';

/** The header the platform's routing proxy sets on every request it forwards to a machine. */
export const PLATFORM_JWT_HEADER = 'x-matrix-platform-jwt';

/** Verifies short-lived platform-signed JWTs (EdDSA or RS256) addressed to this machine. */
export class PlatformJwtVerifier {
  private constructor(
    private readonly key: CryptoKey | KeyObject,
    private readonly alg: string,
    private readonly machineId: string,
    private readonly issuer?: string,
  ) {}

  /** Imports the platform public key (PEM, SPKI); the algorithm follows the key type. */
  static async create(publicKeyPem: string, machineId: string, issuer?: string): Promise<PlatformJwtVerifier> {
    const pem = publicKeyPem.replaceAll('\\n', '\n');
    for (const alg of ['EdDSA', 'RS256']) {
      try {
        return new PlatformJwtVerifier(await importSPKI(pem, alg), alg, machineId, issuer);
      } catch {
        // not this key type; try the next
      }
    }
    throw new Error('MATRIX_PLATFORM_PUBLIC_KEY: not an Ed25519 or RSA public key');
  }

  /** The signed-in user's id, or null when the token is missing, forged, expired or for another machine. */
  async verify(token: string | undefined): Promise<string | null> {
    if (!token || token.length > 4096) return null;
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: [this.alg],
        audience: this.machineId,
        issuer: this.issuer,
        maxTokenAge: '10m',
        clockTolerance: 30,
        requiredClaims: ['exp', 'iat', 'sub'],
      });
      return payload.sub ?? null;
    } catch {
      return null;
    }
  }
}
