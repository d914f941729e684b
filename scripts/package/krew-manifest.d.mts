export interface KrewPlatform { selector: { matchLabels: Record<string, string> }; uri: string; sha256: string; bin: string; files?: { from: string; to: string }[] }
export interface KrewManifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: { version: string; homepage: string; shortDescription: string; description: string; caveats: string; platforms: KrewPlatform[] };
}
export const PLUGIN_NAME: string;
export function caveats(): string;
export function krewManifest(options: { version: string; homepage: string; platforms: { os: string; arch: string; uri: string; sha256: string; bin: string }[] }): KrewManifest;
export function manifestYaml(manifest: KrewManifest): string;
export function validateKrewManifest(manifest: unknown, fileBase?: string): string[];
