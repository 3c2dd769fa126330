/**
 * Policy where IT's tools put it: the Group Policy registry key on Windows
 * and managed preferences on macOS, read through the OS's own tools (here
 * their output is given as the tools print it), validated as strictly as
 * the file, failing closed; and the ADMX/ADML and sample profile generated
 * from the one catalogue: parsed with an XML parser, every key present with
 * the right type, and the committed files up to date.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { loadMachinePolicy } from '../../main/policy/load-policy.js';
import { POLICY_CATALOGUE } from '../../main/policy/policy-catalogue.js';
import { PolicySchema } from '../../main/policy/policy-schema.js';
import { parseReaderOutput, WINDOWS_POLICY_KEY, type ManagedReader } from '../../main/policy/os-managed-policy.js';
import { renderAdml, renderAdmx, renderMobileconfig, renderPolicySample } from '../../main/policy/policy-templates.js';

const BUILD_POLICY = join(process.cwd(), 'build', 'policy');
const values =
  (json: Record<string, unknown>): ManagedReader =>
  () => ({ found: true, values: json });
const absent: ManagedReader = () => ({ found: false });
const noFile = '/nonexistent/medseal-policy.json';

describe('the catalogue', () => {
  it('lists exactly the keys of the policy schema', () => {
    expect(POLICY_CATALOGUE.map((entry) => entry.key).sort()).toEqual(Object.keys(PolicySchema.shape).sort());
  });

  it('every example is a valid value of its key (the sample profile is deployable as it is)', () => {
    const sample = Object.fromEntries(
      POLICY_CATALOGUE.filter((entry) => entry.example !== undefined).map((entry) => [entry.key, entry.example]),
    );
    expect(PolicySchema.safeParse(sample).success).toBe(true);
  });

  it('the sample carries no recovery key: one nobody holds the shares of would be shown to every recipient', () => {
    expect(POLICY_CATALOGUE.filter((entry) => entry.example === undefined).map((entry) => entry.key)).toEqual([
      'orgRecoveryKey',
    ]);
    expect(renderMobileconfig()).not.toContain('orgRecoveryKey');
  });
});

describe('Windows: HKLM\\Software\\Policies\\MedSeal', () => {
  it('DWORDs, REG_SZ, REG_MULTI_SZ and JSON in REG_SZ become the policy, the registry named as its source', async () => {
    const state = await loadMachinePolicy({
      platform: 'win32',
      filePath: noFile,
      readManaged: values({
        maxAutoLockMinutes: 5,
        requireVerifiedRecipients: 1,
        sendReceipts: 0,
        allowedRecipientDomains: ['hospital.example', 'lab.example'],
        exchangeFolders: '\\\\server\\medseal', // PowerShell gives a one-line REG_MULTI_SZ as a string
        sftpExchanges: JSON.stringify([
          {
            name: 'lab',
            url: 'sftp://clinic@sftp.lab.example/exchange',
            hostKey: 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU',
          },
        ]),
      }),
    });
    expect(state).toMatchObject({ state: 'ok', source: WINDOWS_POLICY_KEY });
    if (state.state !== 'ok') throw new Error('unreachable');
    expect(state.effective).toMatchObject({
      maxAutoLockMinutes: 5,
      requireVerifiedRecipients: true,
      sendReceipts: false,
      exchangeFolders: ['\\\\server\\medseal'],
    });
    expect(state.effective.sftpExchanges[0]?.name).toBe('lab');
    expect([...state.managed].sort()).toEqual([
      'allowedRecipientDomains',
      'exchangeFolders',
      'maxAutoLockMinutes',
      'requireVerifiedRecipients',
      'sendReceipts',
      'sftpExchanges',
    ]);
  });

  it.each([
    [{ requireVerifiedRecipent: 1 }, /unknown setting "requireVerifiedRecipent"/],
    [{ requireVerifiedRecipients: 2 }, /REG_DWORD of 0 or 1/],
    [{ requireVerifiedRecipients: '1' }, /REG_DWORD of 0 or 1/],
    [{ maxAutoLockMinutes: 600 }, /maxAutoLockMinutes/],
    [{ sftpExchanges: '[{"name": ' }, /REG_SZ holding JSON/],
    [{ allowedRecipientDomains: ['Hospital.Example'] }, /lower-case domain/],
  ])('a wrong value fails closed with the reason: %j', async (raw, problem) => {
    const state = await loadMachinePolicy({ platform: 'win32', filePath: noFile, readManaged: values(raw) });
    expect(state.state).toBe('error');
    expect(state.state === 'error' && state.problem).toMatch(problem);
  });

  it('a registry that cannot be read fails closed; no key falls back to the policy file', async () => {
    expect(
      await loadMachinePolicy({ platform: 'win32', filePath: noFile, readManaged: () => ({ found: 'unreadable' }) }),
    ).toMatchObject({ state: 'error', source: WINDOWS_POLICY_KEY });
    expect(await loadMachinePolicy({ platform: 'win32', filePath: noFile, readManaged: absent })).toMatchObject({
      state: 'none',
      source: noFile,
    });
  });

  it('reads what PowerShell prints: ABSENT, a JSON object, anything else unreadable', () => {
    expect(parseReaderOutput(0, 'ABSENT\r\n')).toEqual({ found: false });
    expect(parseReaderOutput(0, '{"sendReceipts":0,"exchangeFolders":["D:\\\\x","E:\\\\y"]}\r\n')).toEqual({
      found: true,
      values: { sendReceipts: 0, exchangeFolders: ['D:\\x', 'E:\\y'] },
    });
    expect(parseReaderOutput(1, '')).toEqual({ found: 'unreadable' });
    expect(parseReaderOutput(0, 'Get-ItemProperty : access denied')).toEqual({ found: 'unreadable' });
    expect(parseReaderOutput(0, '[1,2]')).toEqual({ found: 'unreadable' });
  });
});

describe('macOS: managed preferences from a configuration profile', () => {
  it('plist types become the policy; the profile payload keys are not settings', async () => {
    const state = await loadMachinePolicy({
      platform: 'darwin',
      filePath: noFile,
      readManaged: values({
        PayloadUUID: 'x',
        requirePostQuantum: true,
        minPassphraseLength: 16,
        allowedRecipientDomains: ['hospital.example'],
      }),
    });
    expect(state).toMatchObject({ state: 'ok', effective: { requirePostQuantum: true, minPassphraseLength: 16 } });
  });

  it('a DWORD-style 1 is not a plist boolean: refused', async () => {
    const state = await loadMachinePolicy({
      platform: 'darwin',
      filePath: noFile,
      readManaged: values({ requirePostQuantum: 1 }),
    });
    expect(state.state === 'error' && state.problem).toMatch(/must be a boolean/);
  });
});

describe('the generated templates', () => {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (name) => ['policy', 'string', 'presentation'].includes(name),
  });

  it('the ADMX defines every key as a machine policy of the right type under the policy key', () => {
    const admx = parser.parse(renderAdmx()) as {
      policyDefinitions: {
        policies: {
          policy: {
            name: string;
            class: string;
            key: string;
            valueName: string;
            enabledValue?: unknown;
            elements?: Record<string, { valueName: string }>;
          }[];
        };
      };
    };
    const policies = admx.policyDefinitions.policies.policy;
    expect(policies.map((policy) => policy.name)).toEqual(POLICY_CATALOGUE.map((entry) => entry.key));
    const element = { integer: 'decimal', text: 'text', texts: 'multiText', json: 'text' } as const;
    for (const entry of POLICY_CATALOGUE) {
      const policy = policies.find((candidate) => candidate.name === entry.key)!;
      expect(policy).toMatchObject({ class: 'Machine', key: 'Software\\Policies\\MedSeal', valueName: entry.key });
      if (entry.kind === 'boolean') expect(policy.enabledValue).toBeDefined();
      else expect(policy.elements?.[element[entry.kind]]?.valueName).toBe(entry.key);
    }
  });

  it('the ADML has a name and an explanation for every key, and a control for every key with a value', () => {
    const adml = parser.parse(renderAdml()) as {
      policyDefinitionResources: {
        resources: { stringTable: { string: { id: string }[] }; presentationTable: { presentation: { id: string }[] } };
      };
    };
    const ids = adml.policyDefinitionResources.resources.stringTable.string.map((entry) => entry.id);
    for (const entry of POLICY_CATALOGUE)
      expect(ids).toEqual(expect.arrayContaining([entry.key, `${entry.key}_Explain`]));
    const presentations = adml.policyDefinitionResources.resources.presentationTable.presentation.map(
      (entry) => entry.id,
    );
    expect(presentations.sort()).toEqual(
      POLICY_CATALOGUE.filter((entry) => entry.kind !== 'boolean')
        .map((entry) => entry.key)
        .sort(),
    );
  });

  it('the committed build/policy files are what the generator writes now (npm run policy:generate)', async () => {
    expect(await readFile(join(BUILD_POLICY, 'MedSeal.admx'), 'utf8')).toBe(renderAdmx());
    expect(await readFile(join(BUILD_POLICY, 'en-US', 'MedSeal.adml'), 'utf8')).toBe(renderAdml());
    expect(await readFile(join(BUILD_POLICY, 'medseal.mobileconfig'), 'utf8')).toBe(renderMobileconfig());
    expect(await readFile(join(BUILD_POLICY, 'policy.sample.json'), 'utf8')).toBe(renderPolicySample());
  });

  it('the sample policy file is a valid policy with every key that has a safe example, and no recovery key', () => {
    const sample = JSON.parse(renderPolicySample()) as Record<string, unknown>;
    expect(PolicySchema.safeParse(sample).success).toBe(true);
    expect(Object.keys(sample).sort()).toEqual(
      POLICY_CATALOGUE.filter((entry) => entry.example !== undefined)
        .map((entry) => entry.key)
        .sort(),
    );
    expect(sample).not.toHaveProperty('orgRecoveryKey');
  });

  it('the sample profile parses as a plist whose payload is every key that has a safe example', () => {
    const profile = parser.parse(renderMobileconfig()) as { plist: { dict: { array: { dict: { key: string[] } } } } };
    const keys = profile.plist.dict.array.dict.key.filter((key) => !key.startsWith('Payload'));
    expect(keys).toEqual(POLICY_CATALOGUE.filter((entry) => entry.example !== undefined).map((entry) => entry.key));
  });
});
