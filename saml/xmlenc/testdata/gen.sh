#!/bin/sh
# Regenerates the encrypted fixtures of TestDecryptFixtures with
# implementations independent of eidkit (style rule 8): xmlsec1 (libxmlsec1
# 1.2.x, OpenSSL) and Node's WebCrypto (interop/webcrypto.mjs). The tests
# decrypt them with the checked-in TEST-ONLY key keys/sp-enc.key (requirement
# N23: the recipient's certificate is what the sender took from metadata).
#
#   xmlsec1-aes256gcm-mgf1p.xml        aes256-gcm, rsa-oaep-mgf1p; EncryptedData in place of the Assertion,
#                                      plaintext relying on prefixes of the Response (libxml2 output)
#   xmlsec1-aes128gcm-mgf1p.xml        aes128-gcm, rsa-oaep-mgf1p
#   xmlsec1-aes256cbc-mgf1p.xml        aes256-cbc (needs Decrypter.AllowCBC)
#   xmlsec1-rsa15.xml                  rsa-1_5 key transport (must be refused)
#   webcrypto-aes256gcm-inline.xml     eIDAS profile: aes256-gcm, rsa-oaep SHA-256/MGF1-SHA256
#   webcrypto-aes128gcm-peer.xml       same, aes128-gcm, EncryptedKey beside EncryptedData (OpenSAML "peer")
#   webcrypto-ancestor-prefixes.xml    plaintext without its own namespace declarations, inside a Response
#   webcrypto-ecdh-es-p256.xml         eIDAS EC profile: ECDH-ES (P-256, keys/sp-enc-ec.key), ConcatKDF SHA-256
#                                      with non-empty OtherInfo, kw-aes256, aes256-gcm
set -eu
cd "$(dirname "$0")"
D=TestDecryptFixtures
KEY=keys/sp-enc.key
CERT=keys/sp-enc.crt

xmlsec() { # data-alg key-alg session out
	tmpl=$(mktemp)
	cat >"$tmpl" <<TMPL
<xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#" Type="http://www.w3.org/2001/04/xmlenc#Element"><xenc:EncryptionMethod Algorithm="$1"/><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><xenc:EncryptedKey><xenc:EncryptionMethod Algorithm="$2"/><xenc:CipherData><xenc:CipherValue/></xenc:CipherData></xenc:EncryptedKey></ds:KeyInfo><xenc:CipherData><xenc:CipherValue/></xenc:CipherData></xenc:EncryptedData>
TMPL
	xmlsec1 --encrypt --pubkey-cert-pem "$CERT" --session-key "$3" --xml-data $D/response.xml \
		--node-name urn:oasis:names:tc:SAML:2.0:assertion:Assertion --output "$D/$4" "$tmpl"
	rm -f "$tmpl"
}

xmlsec http://www.w3.org/2009/xmlenc11#aes256-gcm http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p aes-256 xmlsec1-aes256gcm-mgf1p.xml
xmlsec http://www.w3.org/2009/xmlenc11#aes128-gcm http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p aes-128 xmlsec1-aes128gcm-mgf1p.xml
xmlsec http://www.w3.org/2001/04/xmlenc#aes256-cbc http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p aes-256 xmlsec1-aes256cbc-mgf1p.xml
xmlsec http://www.w3.org/2009/xmlenc11#aes256-gcm http://www.w3.org/2001/04/xmlenc#rsa-1_5 aes-256 xmlsec1-rsa15.xml

standalone=$(mktemp)
sed 's#<saml:Assertion #<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" #' \
	$D/assertion-bare.xml >"$standalone"
node interop/webcrypto.mjs encrypt "$CERT" "$standalone" inline 256 >$D/webcrypto-aes256gcm-inline.xml
node interop/webcrypto.mjs encrypt "$CERT" "$standalone" peer 128 >$D/webcrypto-aes128gcm-peer.xml
node interop/webcrypto.mjs encrypt-ec keys/sp-enc-ec.crt "$standalone" 256 >$D/webcrypto-ecdh-es-p256.xml
rm -f "$standalone"
{
	printf '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ID="_r1" Version="2.0" IssueInstant="2026-11-22T03:00:00Z">'
	node interop/webcrypto.mjs encrypt "$CERT" $D/assertion-bare.xml inline 256
	printf '</samlp:Response>\n'
} >$D/webcrypto-ancestor-prefixes.xml
