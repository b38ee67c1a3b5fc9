// Independent XML-DSig verifier/signer for eidkit's saml/dsig interop tests.
//
//   node xmldsig.mjs verify <signed.xml> <cert.pem>
//       Verifies the ds:Signature that is a direct child of the document
//       element with the public key of cert.pem (never the KeyInfo).
//       Prints "OK" and exits 0, or prints the reason and exits 1.
//   node xmldsig.mjs sign <template.xml> <key.pk8.pem> <cert.pem> <method-uri> <digest-uri> <id>
//       Signs the document element (Reference "#id", enveloped + exc-c14n)
//       and prints the signed document.
//
// xmldsigjs writes RSA-PSS only in the parameterised #rsa-pss form; to
// produce the RFC 6931 "sha256-rsa-MGF1" URIs eIDAS uses, the signer uses
// xmldsigjs's own RsaPssWithoutParams* algorithm classes (salt = hash length).
import { readFileSync } from 'node:fs';
import { webcrypto, X509Certificate, createPrivateKey } from 'node:crypto';
import * as xmldom from '@xmldom/xmldom';
import xpath from 'xpath';
import { setNodeDependencies } from 'xml-core';
import * as xmldsig from 'xmldsigjs';

setNodeDependencies({
  XMLSerializer: xmldom.XMLSerializer,
  DOMParser: xmldom.DOMParser,
  DOMImplementation: xmldom.DOMImplementation,
  xpath,
});
xmldsig.Application.setEngine('NodeJS', webcrypto);

const DS = 'http://www.w3.org/2000/09/xmldsig#';
const methods = {
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256': { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384': { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-512' },
  'http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1': { name: 'RSA-PSS', hash: 'SHA-256', saltLength: 32, cls: 'RsaPssWithoutParamsSha256' },
  'http://www.w3.org/2007/05/xmldsig-more#sha384-rsa-MGF1': { name: 'RSA-PSS', hash: 'SHA-384', saltLength: 48, cls: 'RsaPssWithoutParamsSha384' },
  'http://www.w3.org/2007/05/xmldsig-more#sha512-rsa-MGF1': { name: 'RSA-PSS', hash: 'SHA-512', saltLength: 64, cls: 'RsaPssWithoutParamsSha512' },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256': { name: 'ECDSA', hash: 'SHA-256' },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384': { name: 'ECDSA', hash: 'SHA-384' },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512': { name: 'ECDSA', hash: 'SHA-512' },
};
const digests = {
  'http://www.w3.org/2001/04/xmlenc#sha256': 'SHA-256',
  'http://www.w3.org/2001/04/xmldsig-more#sha384': 'SHA-384',
  'http://www.w3.org/2001/04/xmlenc#sha512': 'SHA-512',
};

function importParams(m, keyObject) {
  if (m.name === 'ECDSA') {
    const curve = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' }[keyObject.asymmetricKeyDetails.namedCurve];
    return { name: 'ECDSA', namedCurve: curve };
  }
  return { name: m.name, hash: m.hash };
}

async function verify(file, certFile) {
  const doc = xmldsig.Parse(readFileSync(file, 'utf8'));
  const root = doc.documentElement;
  const sigs = [];
  for (let n = root.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && n.localName === 'Signature' && n.namespaceURI === DS) sigs.push(n);
  }
  if (sigs.length !== 1) throw new Error(`want one Signature child, found ${sigs.length}`);
  const sm = sigs[0].getElementsByTagNameNS(DS, 'SignatureMethod')[0].getAttribute('Algorithm');
  const m = methods[sm];
  if (!m) throw new Error(`unsupported method ${sm}`);
  const pub = new X509Certificate(readFileSync(certFile)).publicKey;
  const spki = pub.export({ type: 'spki', format: 'der' });
  const params = importParams(m, pub);
  const key = await webcrypto.subtle.importKey('spki', spki, params, true, ['verify']);
  const signed = new xmldsig.SignedXml(doc);
  signed.LoadXml(sigs[0]);
  // xmldsigjs re-imports a supplied public key with the SignatureMethod's
  // algorithm, which for ECDSA lacks the curve: add it.
  if (params.namedCurve) signed.Algorithm = { ...signed.Algorithm, namedCurve: params.namedCurve };
  if (!(await signed.Verify(key))) throw new Error('signature does not verify');
}

async function sign(file, keyFile, certFile, method, digest, id) {
  const m = methods[method];
  const dh = digests[digest];
  if (!m || !dh) throw new Error(`unsupported method ${method} or digest ${digest}`);
  const pem = readFileSync(keyFile, 'utf8');
  const keyObject = createPrivateKey(pem);
  const der = keyObject.export({ type: 'pkcs8', format: 'der' });
  const key = await webcrypto.subtle.importKey('pkcs8', der, importParams(m, keyObject), false, ['sign']);
  if (m.cls) {
    const orig = xmldsig.CryptoConfig.GetSignatureAlgorithm;
    xmldsig.CryptoConfig.GetSignatureAlgorithm = (alg) => (alg.name === 'RSA-PSS' ? new xmldsig[m.cls]() : orig(alg));
  }
  const certB64 = new X509Certificate(readFileSync(certFile)).raw.toString('base64');
  const doc = xmldsig.Parse(readFileSync(file, 'utf8'));
  const signed = new xmldsig.SignedXml();
  signed.XmlSignature.SignedInfo.CanonicalizationMethod.Algorithm = 'http://www.w3.org/2001/10/xml-exc-c14n#';
  const alg = { name: m.name, hash: m.hash };
  if (m.saltLength) alg.saltLength = m.saltLength;
  const sig = await signed.Sign(alg, key, doc, {
    x509: [certB64],
    references: [{ uri: '#' + id, hash: dh, transforms: ['enveloped', 'exc-c14n'] }],
  });
  doc.documentElement.appendChild(sig.GetXml());
  process.stdout.write(new xmldom.XMLSerializer().serializeToString(doc));
}

const [cmd, ...args] = process.argv.slice(2);
try {
  if (cmd === 'verify') {
    await verify(...args);
    process.stdout.write('OK\n');
  } else if (cmd === 'sign') {
    await sign(...args);
  } else {
    throw new Error(`unknown command ${cmd}`);
  }
} catch (e) {
  process.stderr.write(`xmldsig.mjs: ${e && e.message ? e.message : e}\n`);
  process.exit(1);
}
