#!/bin/sh
# Regenerates the signed fixtures of TestVerifyFixtures with independent
# implementations: xmlsec1 (PKCS#1 v1.5, ECDSA) and xmldsigjs (RSA-PSS).
# Keys are throw-away: only the certificates are kept.
# Needs openssl, xmlsec1, node and `npm ci` in ../interop.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
DS_TEMPLATE() { # method digest
  cat <<T
<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="$1"/><ds:Reference URI="#_fixture1"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms><ds:DigestMethod Algorithm="$2"/><ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo></ds:Signature>
T
}
xmlsec_sign() { # name method digest keyfile certfile
  sed "s|</saml:Issuer>|</saml:Issuer>$(DS_TEMPLATE "$2" "$3")|" template.xml > "$tmp/$1.tmpl.xml"
  xmlsec1 --sign --privkey-pem "$4,$5" --id-attr:ID urn:oasis:names:tc:SAML:2.0:assertion:Assertion \
    --output "$1.xml" "$tmp/$1.tmpl.xml"
}
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/rsa.key" -out rsa2048.crt -days 3650 -subj /CN=fixture-rsa2048 2>/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$tmp/ec.key" -out p256.crt -days 3650 -subj /CN=fixture-p256 2>/dev/null
openssl req -x509 -newkey rsa:3072 -nodes -keyout "$tmp/rsa3072.key" -out rsa3072.crt -days 3650 -subj /CN=fixture-rsa3072 2>/dev/null
xmlsec_sign xmlsec1-rsa-sha256 http://www.w3.org/2001/04/xmldsig-more#rsa-sha256 http://www.w3.org/2001/04/xmlenc#sha256 "$tmp/rsa.key" rsa2048.crt
xmlsec_sign xmlsec1-ecdsa-sha256 http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256 http://www.w3.org/2001/04/xmlenc#sha256 "$tmp/ec.key" p256.crt
openssl pkcs8 -topk8 -nocrypt -in "$tmp/rsa3072.key" -out "$tmp/rsa3072.pk8"
node ../interop/xmldsig.mjs sign template.xml "$tmp/rsa3072.pk8" rsa3072.crt \
  http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1 http://www.w3.org/2001/04/xmlenc#sha256 _fixture1 > xmldsigjs-pss-sha256.xml
# Tampered copy (signed NameID changed): must be refused.
sed 's|12345678903|12345678904|' xmlsec1-rsa-sha256.xml > tampered-rsa-sha256.xml
