/**
 * sealkit cert --info: what a certificate is (fingerprint, key size, validity)
 * and warnings when it has expired or expires soon: --cert FILE|URL, else the
 * one sealkit would seal with (profile, local keyring or the cluster's active key).
 */
import type { Command } from 'commander';
import { Keyring } from '@sealkit/core';
import { renderJson, renderYaml } from '@sealkit/core/manifest';
import { resolveCertificate } from '../keys/key-sources.js';
import { outputFormat, writeOutput } from '../output/output.js';
import { asClause, CliError } from '../program/errors.js';
import { warn } from '../program/log.js';
import { keySourceOptions, type GlobalOptions } from '../program/options.js';

/** Controllers renew their key every 30 days: a certificate ending sooner than this is worth a warning. */
const SOON_DAYS = 30;
const DAY_MS = 86_400_000;

export interface CertificateReport {
  source: string;
  fingerprint: string;
  bits: number;
  /** It carries an ML-KEM-768 key: sealkit seals post-quantum values with it. */
  postQuantum: boolean;
  commonName?: string;
  serialNumber?: string;
  notBefore?: string;
  notAfter?: string;
  daysLeft?: number;
  warnings: string[];
}

export async function describeCertificate(pem: string, source: string, now = new Date()): Promise<CertificateReport> {
  let keyring: Keyring;
  try {
    keyring = await Keyring.from(pem);
  } catch (error) {
    throw new CliError(`The certificate from ${source} cannot be read: ${asClause((error as Error).message)}; give a PEM certificate.`);
  }
  const key = keyring.keys[0];
  if (!key) throw new CliError(`There is no certificate in ${source}; give a PEM certificate.`);
  const certificate = key.certificate;
  const report: CertificateReport = { source, fingerprint: key.fingerprint, bits: key.bits, postQuantum: key.postQuantum, warnings: [] };
  if (key.bits < 2048) report.warnings.push(`its ${key.bits}-bit key is too small to seal with`);
  if (!certificate) {
    report.warnings.push('it is a bare public key: it has no validity dates');
    return report;
  }
  const daysLeft = Math.floor((certificate.notAfter.getTime() - now.getTime()) / DAY_MS);
  Object.assign(report, {
    commonName: certificate.commonName,
    serialNumber: certificate.serialNumber,
    notBefore: certificate.notBefore.toISOString(),
    notAfter: certificate.notAfter.toISOString(),
    daysLeft,
  });
  if (now > certificate.notAfter)
    report.warnings.push(
      `it expired on ${certificate.notAfter.toISOString().slice(0, 10)}: sealing with it needs --allow-expired-cert; fetch the controller's current certificate`,
    );
  else if (now < certificate.notBefore) report.warnings.push(`it is not valid before ${certificate.notBefore.toISOString()}`);
  else if (daysLeft < SOON_DAYS)
    report.warnings.push(`it expires in ${daysLeft} day(s), on ${certificate.notAfter.toISOString().slice(0, 10)}`);
  return report;
}

function text(report: CertificateReport): string {
  const lines = [
    `certificate from ${report.source}`,
    `  fingerprint  ${report.fingerprint}`,
    `  key          RSA-${report.bits}${report.postQuantum ? " + ML-KEM-768 (seals post-quantum values; --classic seals Bitnami's format)" : ''}`,
    ...(report.notAfter
      ? [
          `  valid from   ${report.notBefore}`,
          `  valid until  ${report.notAfter} (${report.daysLeft! >= 0 ? `${report.daysLeft} day(s) left` : 'expired'})`,
          `  serial       ${report.serialNumber}`,
        ]
      : []),
    ...(report.commonName ? [`  common name  ${JSON.stringify(report.commonName)}`] : []),
  ];
  return `${lines.join('\n')}\n`;
}

export async function certInfoCommand(options: GlobalOptions, command: Command, formatChosen: boolean): Promise<void> {
  const { pem, from } = await resolveCertificate(keySourceOptions(options, command));
  const report = await describeCertificate(pem, from);
  for (const warning of report.warnings) warn(`the certificate from ${from}: ${warning}.`);
  const format = formatChosen ? outputFormat(options.format, options.sealedSecretFile) : undefined;
  writeOutput(format === 'json' ? renderJson(report) : format === 'yaml' ? renderYaml(report) : text(report), options.sealedSecretFile);
}
