// Independent XML Encryption 1.1 peer for eidkit's saml/xmlenc interop tests.
// Uses only Node's built-in WebCrypto (RSA-OAEP with SHA-256, which fixes
// MGF1-SHA256, and AES-GCM); no npm dependencies.
//
//   node webcrypto.mjs decrypt <pkcs8-key.pem> <encrypted.xml>
//     prints the plaintext of an EncryptedData whose first CipherValue is the
//     RSA-OAEP(SHA-256, MGF1-SHA256) wrapped key and last is AES-GCM data;
//     fails unless the XML names exactly those algorithms.
//   node webcrypto.mjs encrypt <cert.pem> <plaintext.xml> <inline|peer> <128|256>
//     prints a saml:EncryptedAssertion; "peer" puts the EncryptedKey beside
//     the EncryptedData and points to it with ds:RetrievalMethod, as
//     OpenSAML/Shibboleth do.
//   node webcrypto.mjs decrypt-ec <pkcs8-key.pem> <encrypted.xml>
//     as decrypt, for ECDH-ES (P-256/384/521) + ConcatKDF(SHA-256) + kw-aes256.
//   node webcrypto.mjs encrypt-ec <cert.pem> <plaintext.xml> <128|256>
//     prints a saml:EncryptedAssertion using ECDH-ES with an ephemeral key,
//     ConcatKDF(SHA-256) with non-empty OtherInfo, and kw-aes256.
// ConcatKDF (NIST SP 800-56A §5.8.1 as XML Encryption 1.1 §5.4.1 uses it) is
// written here from the specification; ECDH, AES-KW and AES-GCM are
// WebCrypto's.
import { readFileSync } from 'node:fs';
import { webcrypto, X509Certificate } from 'node:crypto';

const { subtle } = webcrypto;
const OAEP = { name: 'RSA-OAEP', hash: 'SHA-256' };

function pemBody(pem) {
  return Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
}

function requireAlg(xml, uri) {
  if (!xml.includes(`Algorithm="${uri}"`)) {
    throw new Error(`missing algorithm ${uri}`);
  }
}

async function decrypt(keyFile, xmlFile) {
  const xml = readFileSync(xmlFile, 'utf8');
  requireAlg(xml, 'http://www.w3.org/2009/xmlenc11#rsa-oaep');
  requireAlg(xml, 'http://www.w3.org/2001/04/xmlenc#sha256');
  requireAlg(xml, 'http://www.w3.org/2009/xmlenc11#mgf1sha256');
  const gcm = xml.match(/Algorithm="http:\/\/www\.w3\.org\/2009\/xmlenc11#aes(128|192|256)-gcm"/);
  if (!gcm) throw new Error('no AES-GCM EncryptionMethod');
  const values = [...xml.matchAll(/<(?:\w+:)?CipherValue>([^<]*)</g)].map((m) => Buffer.from(m[1].replace(/\s+/g, ''), 'base64'));
  if (values.length !== 2) throw new Error(`want 2 CipherValues, got ${values.length}`);
  const priv = await subtle.importKey('pkcs8', pemBody(readFileSync(keyFile, 'utf8')), OAEP, false, ['decrypt']);
  const raw = Buffer.from(await subtle.decrypt(OAEP, priv, values[0]));
  if (raw.length * 8 !== Number(gcm[1])) throw new Error(`session key of ${raw.length} bytes`);
  const aes = await subtle.importKey('raw', raw, 'AES-GCM', false, ['decrypt']);
  const data = values[1];
  const pt = await subtle.decrypt({ name: 'AES-GCM', iv: data.subarray(0, 12), tagLength: 128 }, aes, data.subarray(12));
  process.stdout.write(Buffer.from(pt));
}

async function encrypt(certFile, ptFile, layout, bits) {
  const spki = new X509Certificate(readFileSync(certFile)).publicKey.export({ type: 'spki', format: 'der' });
  const pub = await subtle.importKey('spki', spki, OAEP, false, ['encrypt']);
  const aes = await subtle.generateKey({ name: 'AES-GCM', length: Number(bits) }, true, ['encrypt']);
  const iv = webcrypto.getRandomValues(new Uint8Array(12));
  const ct = await subtle.encrypt({ name: 'AES-GCM', iv, tagLength: 128 }, aes, readFileSync(ptFile));
  const wrapped = await subtle.encrypt(OAEP, pub, await subtle.exportKey('raw', aes));
  const data = Buffer.concat([iv, Buffer.from(ct)]).toString('base64').replace(/(.{76})/g, '$1\n');
  const key = Buffer.from(wrapped).toString('base64').replace(/(.{76})/g, '$1\n');
  const ek = (id) => `<xenc:EncryptedKey xmlns:xenc="http://www.w3.org/2001/04/xmlenc#"${id ? ` Id="${id}"` : ''}>` +
    '<xenc:EncryptionMethod Algorithm="http://www.w3.org/2009/xmlenc11#rsa-oaep">' +
    '<ds:DigestMethod xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>' +
    '<xenc11:MGF xmlns:xenc11="http://www.w3.org/2009/xmlenc11#" Algorithm="http://www.w3.org/2009/xmlenc11#mgf1sha256"/>' +
    `</xenc:EncryptionMethod><xenc:CipherData><xenc:CipherValue>${key}</xenc:CipherValue></xenc:CipherData></xenc:EncryptedKey>`;
  const keyInfo = layout === 'peer'
    ? '<ds:RetrievalMethod Type="http://www.w3.org/2001/04/xmlenc#EncryptedKey" URI="#_ek1"/>'
    : ek('');
  const out = '<saml2:EncryptedAssertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion">\n' +
    '<xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#" Id="_ed1" Type="http://www.w3.org/2001/04/xmlenc#Element">' +
    `<xenc:EncryptionMethod Algorithm="http://www.w3.org/2009/xmlenc11#aes${bits}-gcm"/>` +
    `<ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">${keyInfo}</ds:KeyInfo>` +
    `<xenc:CipherData><xenc:CipherValue>${data}</xenc:CipherValue></xenc:CipherData></xenc:EncryptedData>\n` +
    (layout === 'peer' ? ek('_ek1') + '\n' : '') +
    '</saml2:EncryptedAssertion>\n';
  process.stdout.write(out);
}

const CURVES = { 'urn:oid:1.2.840.10045.3.1.7': 'P-256', 'urn:oid:1.3.132.0.34': 'P-384', 'urn:oid:1.3.132.0.35': 'P-521' };
const NODE_CURVES = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

// bitString decodes an XML Encryption 1.1 hex bit string (first octet = padding bits, must be 0).
function bitString(hex) {
  if (!hex) return Buffer.alloc(0);
  const b = Buffer.from(hex, 'hex');
  if (b[0] !== 0) throw new Error('padding bits not supported');
  return b.subarray(1);
}

// concatKDF returns SHA-256(counter || Z || OtherInfo) blocks truncated to size bytes.
async function concatKDF(z, size, otherInfo) {
  const out = [];
  for (let c = 1; Buffer.concat(out).length < size; c++) {
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(c);
    out.push(Buffer.from(await subtle.digest('SHA-256', Buffer.concat([counter, Buffer.from(z), otherInfo]))));
  }
  return Buffer.concat(out).subarray(0, size);
}

function attr(xml, name) {
  const m = xml.match(new RegExp(`${name}="([^"]*)"`));
  return m ? m[1] : '';
}

async function decryptEC(keyFile, xmlFile) {
  const xml = readFileSync(xmlFile, 'utf8');
  for (const uri of ['http://www.w3.org/2009/xmlenc11#ECDH-ES', 'http://www.w3.org/2009/xmlenc11#ConcatKDF',
    'http://www.w3.org/2001/04/xmlenc#kw-aes256', 'http://www.w3.org/2001/04/xmlenc#sha256']) {
    requireAlg(xml, uri);
  }
  const gcm = xml.match(/Algorithm="http:\/\/www\.w3\.org\/2009\/xmlenc11#aes(128|192|256)-gcm"/);
  if (!gcm) throw new Error('no AES-GCM EncryptionMethod');
  const namedCurve = CURVES[xml.match(/NamedCurve URI="([^"]*)"/)[1]];
  const point = Buffer.from(xml.match(/<(?:\w+:)?PublicKey>([^<]*)</)[1].replace(/\s+/g, ''), 'base64');
  const other = Buffer.concat(['AlgorithmID', 'PartyUInfo', 'PartyVInfo', 'SuppPubInfo', 'SuppPrivInfo'].map((n) => bitString(attr(xml, n))));
  const values = [...xml.matchAll(/<(?:\w+:)?CipherValue>([^<]*)</g)].map((m) => Buffer.from(m[1].replace(/\s+/g, ''), 'base64'));
  if (values.length !== 2) throw new Error(`want 2 CipherValues, got ${values.length}`);
  const alg = { name: 'ECDH', namedCurve };
  const priv = await subtle.importKey('pkcs8', pemBody(readFileSync(keyFile, 'utf8')), alg, false, ['deriveBits']);
  const eph = await subtle.importKey('raw', point, alg, true, []);
  const z = await subtle.deriveBits({ name: 'ECDH', public: eph }, priv, null);
  const kek = await subtle.importKey('raw', await concatKDF(z, 32, other), 'AES-KW', false, ['unwrapKey']);
  const aes = await subtle.unwrapKey('raw', values[0], kek, 'AES-KW', 'AES-GCM', true, ['decrypt']);
  const raw = Buffer.from(await subtle.exportKey('raw', aes));
  if (raw.length * 8 !== Number(gcm[1])) throw new Error(`session key of ${raw.length} bytes`);
  const data = values[1];
  const pt = await subtle.decrypt({ name: 'AES-GCM', iv: data.subarray(0, 12), tagLength: 128 }, aes, data.subarray(12));
  process.stdout.write(Buffer.from(pt));
}

async function encryptEC(certFile, ptFile, bits) {
  const pubKey = new X509Certificate(readFileSync(certFile)).publicKey;
  const namedCurve = NODE_CURVES[pubKey.asymmetricKeyDetails.namedCurve];
  const curveURI = Object.keys(CURVES).find((k) => CURVES[k] === namedCurve);
  const alg = { name: 'ECDH', namedCurve };
  const recipient = await subtle.importKey('spki', pubKey.export({ type: 'spki', format: 'der' }), alg, false, []);
  const eph = await subtle.generateKey(alg, true, ['deriveBits']);
  const z = await subtle.deriveBits({ name: 'ECDH', public: recipient }, eph.privateKey, null);
  const params = {
    AlgorithmID: '00' + Buffer.from('http://www.w3.org/2001/04/xmlenc#kw-aes256').toString('hex'),
    PartyUInfo: '00' + Buffer.from('webcrypto-peer').toString('hex'),
    PartyVInfo: '00e1d0',
  };
  const other = Buffer.concat(Object.values(params).map(bitString));
  const kek = await subtle.importKey('raw', await concatKDF(z, 32, other), 'AES-KW', false, ['wrapKey']);
  const aes = await subtle.generateKey({ name: 'AES-GCM', length: Number(bits) }, true, ['encrypt']);
  const iv = webcrypto.getRandomValues(new Uint8Array(12));
  const ct = await subtle.encrypt({ name: 'AES-GCM', iv, tagLength: 128 }, aes, readFileSync(ptFile));
  const wrapped = Buffer.from(await subtle.wrapKey('raw', aes, kek, 'AES-KW')).toString('base64');
  const point = Buffer.from(await subtle.exportKey('raw', eph.publicKey)).toString('base64');
  const data = Buffer.concat([iv, Buffer.from(ct)]).toString('base64');
  process.stdout.write('<saml2:EncryptedAssertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion">' +
    '<xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Type="http://www.w3.org/2001/04/xmlenc#Element">' +
    `<xenc:EncryptionMethod Algorithm="http://www.w3.org/2009/xmlenc11#aes${bits}-gcm"/>` +
    '<ds:KeyInfo><xenc:EncryptedKey><xenc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#kw-aes256"/>' +
    '<ds:KeyInfo><xenc:AgreementMethod Algorithm="http://www.w3.org/2009/xmlenc11#ECDH-ES">' +
    '<xenc11:KeyDerivationMethod xmlns:xenc11="http://www.w3.org/2009/xmlenc11#" Algorithm="http://www.w3.org/2009/xmlenc11#ConcatKDF">' +
    `<xenc11:ConcatKDFParams AlgorithmID="${params.AlgorithmID}" PartyUInfo="${params.PartyUInfo}" PartyVInfo="${params.PartyVInfo}">` +
    '<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/></xenc11:ConcatKDFParams></xenc11:KeyDerivationMethod>' +
    '<xenc:OriginatorKeyInfo><ds:KeyValue><dsig11:ECKeyValue xmlns:dsig11="http://www.w3.org/2009/xmldsig11#">' +
    `<dsig11:NamedCurve URI="${curveURI}"/><dsig11:PublicKey>${point}</dsig11:PublicKey></dsig11:ECKeyValue></ds:KeyValue></xenc:OriginatorKeyInfo>` +
    '</xenc:AgreementMethod></ds:KeyInfo>' +
    `<xenc:CipherData><xenc:CipherValue>${wrapped}</xenc:CipherValue></xenc:CipherData></xenc:EncryptedKey></ds:KeyInfo>` +
    `<xenc:CipherData><xenc:CipherValue>${data}</xenc:CipherValue></xenc:CipherData></xenc:EncryptedData>` +
    '</saml2:EncryptedAssertion>\n');
}

const [cmd, ...args] = process.argv.slice(2);
const run = { decrypt, encrypt, 'decrypt-ec': decryptEC, 'encrypt-ec': encryptEC }[cmd];
if (!run) {
  console.error('usage: webcrypto.mjs decrypt|encrypt ...');
  process.exit(2);
}
run(...args).catch((e) => {
  console.error(e.message);
  process.exit(1);
});
