#!/bin/sh
# Regenerates the signed metadata fixtures with xmlsec1, an implementation
# independent of eidkit (style rule 8). Requirement N23: the tests verify
# these signatures against the checked-in signer certificates only.
#
#   TestParseNIAS/nias-idp.signed.xml     rsa-sha256, SHA-256 digest (NIAS test 2021 style)
#   TestParseEIDAS/eidas-proxy.signed.xml ecdsa-sha512, SHA-512 digest (eIDAS profile)
#
# The keys were made once with OpenSSL, e.g.
#   openssl req -x509 -newkey rsa:2048 -nodes -days 7300 -keyout keys/nias-sign1.key \
#     -out keys/nias-sign1.crt -subj "/C=HR/O=FINA/2.5.4.97=HR85821130368/L=ZAGREB/CN=niasaptst"
#   openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-384 -nodes -days 7300 \
#     -keyout keys/eidas-mdsign.key -out keys/eidas-mdsign.crt -subj "/C=HR/O=Ministry/CN=eidas-metadata-signer"
# (keys/nias-sign2.crt and keys/eidas.crt are the second NIAS signing key and
# the eIDAS node's RSA-3072 key; only their certificates are kept.) They are
# test keys, never used outside these tests.
set -eu
cd "$(dirname "$0")"

sign() { # in out key cert method digest
	id=$(sed -n 's/.*<md:EntityDescriptor [^>]* ID="\([^"]*\)".*/\1/p' "$1")
	tmpl=$(mktemp)
	sig="<ds:Signature><ds:SignedInfo><ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/><ds:SignatureMethod Algorithm=\"$5\"/><ds:Reference URI=\"#$id\"><ds:Transforms><ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/><ds:Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/></ds:Transforms><ds:DigestMethod Algorithm=\"$6\"/><ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo></ds:Signature>"
	awk -v sig="$sig" '{print} /<md:EntityDescriptor / && !done {print "  " sig; done=1}' "$1" >"$tmpl"
	xmlsec1 --sign --privkey-pem "$3,$4" \
		--id-attr:ID urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor \
		--output "$2" "$tmpl"
	rm -f "$tmpl"
}

sign TestParseNIAS/nias-idp.xml TestParseNIAS/nias-idp.signed.xml \
	keys/nias-sign1.key keys/nias-sign1.crt \
	http://www.w3.org/2001/04/xmldsig-more#rsa-sha256 http://www.w3.org/2001/04/xmlenc#sha256
sign TestParseEIDAS/eidas-proxy.xml TestParseEIDAS/eidas-proxy.signed.xml \
	keys/eidas-mdsign.key keys/eidas-mdsign.crt \
	http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512 http://www.w3.org/2001/04/xmlenc#sha512
