/**
 * The files IT imports into its management tools, generated from the one
 * policy catalogue (as VS Code generates its ADMX from its policy schema):
 * an ADMX with its en-US ADML for Group Policy and Intune's ADMX ingestion,
 * and a sample macOS configuration profile. build/scripts/generate-policy.mjs
 * writes them under build/policy/; a test checks the committed files are
 * exactly what these functions produce.
 */
import { POLICY_CATALOGUE, type PolicyEntry } from './policy-catalogue.js';
import { MACOS_BUNDLE_ID } from './os-managed-policy.js';

const REGISTRY_KEY = 'Software\\Policies\\MedSeal';
const TEXT_MAX_LENGTH = 4096;
const JSON_MAX_LENGTH = 32_767;

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function admxPolicy(entry: PolicyEntry): string {
  const { key } = entry;
  const head = `    <policy name="${key}" class="Machine" displayName="$(string.${key})" explainText="$(string.${key}_Explain)" key="${REGISTRY_KEY}" valueName="${key}"`;
  const common = ['      <parentCategory ref="MedSeal" />', '      <supportedOn ref="Supported_0_1" />'];
  if (entry.kind === 'boolean') {
    return [
      `${head}>`,
      ...common,
      '      <enabledValue><decimal value="1" /></enabledValue>',
      '      <disabledValue><decimal value="0" /></disabledValue>',
      '    </policy>',
    ].join('\n');
  }
  const element = {
    integer: `<decimal id="${key}" valueName="${key}" minValue="${entry.min ?? 0}" maxValue="${entry.max ?? 4294967295}" />`,
    text: `<text id="${key}" valueName="${key}" maxLength="${TEXT_MAX_LENGTH}" />`,
    texts: `<multiText id="${key}" valueName="${key}" maxStrings="200" />`,
    json: `<text id="${key}" valueName="${key}" maxLength="${JSON_MAX_LENGTH}" />`,
  }[entry.kind];
  return [
    `${head} presentation="$(presentation.${key})">`,
    ...common,
    '      <elements>',
    `        ${element}`,
    '      </elements>',
    '    </policy>',
  ].join('\n');
}

/** MedSeal.admx: every policy key as a machine policy under HKLM\Software\Policies\MedSeal. */
export function renderAdmx(catalogue: readonly PolicyEntry[] = POLICY_CATALOGUE): string {
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<!-- Generated from main/policy/policy-catalogue.ts by build/scripts/generate-policy.mjs: do not edit. -->',
    '<policyDefinitions xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" revision="1.0" schemaVersion="1.0" xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions">',
    '  <policyNamespaces>',
    '    <target prefix="MedSeal" namespace="MedSeal.Policies.MedSeal" />',
    '  </policyNamespaces>',
    '  <resources minRequiredRevision="1.0" />',
    '  <supportedOn>',
    '    <definitions>',
    '      <definition name="Supported_0_1" displayName="$(string.Supported_0_1)" />',
    '    </definitions>',
    '  </supportedOn>',
    '  <categories>',
    '    <category name="MedSeal" displayName="$(string.MedSeal)" />',
    '  </categories>',
    '  <policies>',
    ...catalogue.map(admxPolicy),
    '  </policies>',
    '</policyDefinitions>',
    '',
  ].join('\n');
}

function admlPresentation(entry: PolicyEntry): string | null {
  const { key } = entry;
  const control = {
    boolean: null,
    integer: `<decimalTextBox refId="${key}">${xml(entry.displayName)}</decimalTextBox>`,
    text: `<textBox refId="${key}"><label>${xml(entry.displayName)}</label></textBox>`,
    texts: `<multiTextBox refId="${key}">${xml(entry.displayName)} (one per line)</multiTextBox>`,
    json: `<textBox refId="${key}"><label>${xml(entry.displayName)} (JSON)</label></textBox>`,
  }[entry.kind];
  return control ? `      <presentation id="${key}">${control}</presentation>` : null;
}

/** en-US/MedSeal.adml: the names, explanations and input controls of MedSeal.admx. */
export function renderAdml(catalogue: readonly PolicyEntry[] = POLICY_CATALOGUE): string {
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<!-- Generated from main/policy/policy-catalogue.ts by build/scripts/generate-policy.mjs: do not edit. -->',
    '<policyDefinitionResources xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" revision="1.0" schemaVersion="1.0" xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions">',
    '  <displayName>MedSeal</displayName>',
    '  <description>Managed settings of MedSeal, end-to-end encrypted sharing of patient records.</description>',
    '  <resources>',
    '    <stringTable>',
    '      <string id="MedSeal">MedSeal</string>',
    '      <string id="Supported_0_1">MedSeal 0.1 or later</string>',
    ...catalogue.flatMap((entry) => [
      `      <string id="${entry.key}">${xml(entry.displayName)}</string>`,
      `      <string id="${entry.key}_Explain">${xml(entry.explain)}</string>`,
    ]),
    '    </stringTable>',
    '    <presentationTable>',
    ...catalogue.map(admlPresentation).filter((line): line is string => line !== null),
    '    </presentationTable>',
    '  </resources>',
    '</policyDefinitionResources>',
    '',
  ].join('\n');
}

function plistValue(value: unknown, indent: string): string {
  if (typeof value === 'boolean') return `${indent}<${value}/>`;
  if (typeof value === 'number') return `${indent}<integer>${value}</integer>`;
  if (typeof value === 'string') return `${indent}<string>${xml(value)}</string>`;
  if (Array.isArray(value))
    return [`${indent}<array>`, ...value.map((item) => plistValue(item, `${indent}  `)), `${indent}</array>`].join(
      '\n',
    );
  const entries = Object.entries(value as Record<string, unknown>);
  return [
    `${indent}<dict>`,
    ...entries.flatMap(([key, item]) => [`${indent}  <key>${xml(key)}</key>`, plistValue(item, `${indent}  `)]),
    `${indent}</dict>`,
  ].join('\n');
}

/**
 * A sample configuration profile (Jamf, Intune for macOS, Apple Configurator) setting every key to
 * an example value, for IT to edit (a key with no safe example, such as a recovery key, is left out): macOS installs it as /Library/Managed Preferences/<bundle id>.plist.
 */
export function renderMobileconfig(catalogue: readonly PolicyEntry[] = POLICY_CATALOGUE): string {
  const settings = Object.fromEntries(
    catalogue.filter((entry) => entry.example !== undefined).map((entry) => [entry.key, entry.example]),
  );
  const payload = {
    PayloadDisplayName: 'MedSeal settings',
    PayloadIdentifier: `${MACOS_BUNDLE_ID}.settings`,
    PayloadType: MACOS_BUNDLE_ID,
    PayloadUUID: '6F1B2C1E-5A0E-4B8B-9E6B-3C1B7E2A9D01',
    PayloadVersion: 1,
    ...settings,
  };
  const profile = {
    PayloadContent: [payload],
    PayloadDisplayName: 'MedSeal (sample: edit the values, remove what you do not manage)',
    PayloadIdentifier: `${MACOS_BUNDLE_ID}.profile`,
    PayloadScope: 'System',
    PayloadType: 'Configuration',
    PayloadUUID: '0C7E5D3A-2B9F-4E61-8A4D-5F0B1C2D3E04',
    PayloadVersion: 1,
  };
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<!-- Generated from main/policy/policy-catalogue.ts by build/scripts/generate-policy.mjs: do not edit; copy and change the values. -->',
    '<plist version="1.0">',
    plistValue(profile, ''),
    '</plist>',
    '',
  ].join('\n');
}

/**
 * A sample policy file for Linux (/etc/medseal/policy.json) and the other platforms' file: every key
 * with its example value, as in the sample profile. It ships beside the templates as policy.sample.json.
 */
export function renderPolicySample(catalogue: readonly PolicyEntry[] = POLICY_CATALOGUE): string {
  const settings = Object.fromEntries(
    catalogue.filter((entry) => entry.example !== undefined).map((entry) => [entry.key, entry.example]),
  );
  return `${JSON.stringify(settings, null, 2)}\n`;
}
