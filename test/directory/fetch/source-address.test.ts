/**
 * A partner directory's address as IT types it: https://, an absolute file path or
 * sftp://USER@HOST[:PORT]/PATH become their kind of source; plain http://, other schemes, logins
 * in URLs, relative paths and addresses of folders are refused with their own words; and a source
 * is described for the CLI without a URL's query string.
 */
import { describe, expect, it } from 'vitest';
import { InvalidDirectorySource } from '../../../main/directory/fetch/errors.js';
import { describeDirectorySource, parseDirectorySourceAddress } from '../../../main/directory/fetch/source-address.js';

function problemOf(text: string): string {
  try {
    parseDirectorySourceAddress(text);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidDirectorySource);
    expect((error as InvalidDirectorySource).userMessage).not.toContain('s3cret');
    return (error as InvalidDirectorySource).problem;
  }
  throw new Error(`${text} was accepted`);
}

describe('a directory source address', () => {
  it('reads the three kinds IT can type', () => {
    expect(parseDirectorySourceAddress(' https://dir.cityclinic.example/city.medseal-directory ')).toEqual({
      kind: 'https',
      url: 'https://dir.cityclinic.example/city.medseal-directory',
    });
    expect(parseDirectorySourceAddress('HTTPS://Dir.CityClinic.example:8443/d?sig=abc')).toEqual({
      kind: 'https',
      url: 'https://dir.cityclinic.example:8443/d?sig=abc',
    });
    expect(parseDirectorySourceAddress('/mnt/partners/city.medseal-directory')).toEqual({
      kind: 'folder',
      path: '/mnt/partners/city.medseal-directory',
    });
    expect(
      parseDirectorySourceAddress('sftp://medseal@sftp.cityclinic.example:2222/directory/city.medseal-directory'),
    ).toEqual({
      kind: 'sftp',
      address: {
        user: 'medseal',
        host: 'sftp.cityclinic.example',
        port: 2222,
        path: '/directory/city.medseal-directory',
      },
    });
  });

  it('refuses plain http, other schemes and logins in the URL', () => {
    expect(problemOf('http://dir.cityclinic.example/city.medseal-directory')).toBe('not-https');
    expect(problemOf('ftp://dir.cityclinic.example/city.medseal-directory')).toBe('not-a-url');
    expect(problemOf('file:///mnt/partners/city.medseal-directory')).toBe('not-a-url');
    expect(problemOf('https://it:s3cret@dir.cityclinic.example/city.medseal-directory')).toBe('credentials');
    expect(problemOf('https://')).toBe('not-a-url');
  });

  it('refuses relative paths and addresses of folders', () => {
    expect(problemOf('partners/city.medseal-directory')).toBe('relative-path');
    expect(problemOf('')).toBe('relative-path');
    expect(problemOf('/mnt/partners/')).toBe('no-file');
    expect(problemOf('sftp://medseal@sftp.cityclinic.example/')).toBe('no-file');
    expect(problemOf('sftp://medseal@sftp.cityclinic.example/directory/')).toBe('no-file');
  });

  it('refuses an SFTP address written wrongly, saying what is wrong', () => {
    expect(problemOf('sftp://sftp.cityclinic.example/directory/city.medseal-directory')).toBe('sftp');
    expect(problemOf('sftp://medseal@sftp.cityclinic.example/directory/../etc/passwd')).toBe('sftp');
    expect(() => parseDirectorySourceAddress('sftp://medseal@sftp.cityclinic.example:99999/d')).toThrow(
      /port must be between 1 and 65535/,
    );
  });

  it('describes a source in plain words, without a query string', () => {
    const signed = parseDirectorySourceAddress('https://dir.cityclinic.example/city.medseal-directory?sig=s3cret');
    expect(describeDirectorySource(signed)).toBe(
      'the web address https://dir.cityclinic.example/city.medseal-directory?… (HTTPS)',
    );
    expect(describeDirectorySource(parseDirectorySourceAddress('/mnt/partners/city.medseal-directory'))).toBe(
      'the file /mnt/partners/city.medseal-directory (in a folder)',
    );
    expect(
      describeDirectorySource(
        parseDirectorySourceAddress('sftp://medseal@sftp.cityclinic.example:2222/d/city.medseal-directory'),
      ),
    ).toBe('the file /d/city.medseal-directory on the SFTP server sftp.cityclinic.example:2222, as medseal');
  });
});
