package xmlenc

import (
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"strings"

	"github.com/beevik/etree"

	"github.com/eidkit/eidkit/saml"
)

// Key agreement and key wrap URIs (XML Encryption 1.1 §5.6, §5.4.1).
const (
	// ECDHES is Elliptic Curve Diffie-Hellman, ephemeral-static (XML
	// Encryption 1.1 §5.6.2), the eIDAS key agreement for EC certificates
	// (spec-digest §2.6). The key-encryption key is derived with ConcatKDF
	// and wraps the session key with a kw-aes algorithm.
	ECDHES = "http://www.w3.org/2009/xmlenc11#ECDH-ES"
	// ConcatKDF is the key derivation of NIST SP 800-56A §5.8.1.
	ConcatKDF = "http://www.w3.org/2009/xmlenc11#ConcatKDF"
	// KWAES128 is the AES-128 key wrap of RFC 3394.
	KWAES128 = "http://www.w3.org/2001/04/xmlenc#kw-aes128"
	// KWAES192 is the AES-192 key wrap of RFC 3394.
	KWAES192 = "http://www.w3.org/2001/04/xmlenc#kw-aes192"
	// KWAES256 is the AES-256 key wrap of RFC 3394, which Encrypter uses
	// with ECDHES as eIDAS requires.
	KWAES256 = "http://www.w3.org/2001/04/xmlenc#kw-aes256"
	// NSDSig11 is the XML Signature 1.1 namespace of ECKeyValue.
	NSDSig11 = "http://www.w3.org/2009/xmldsig11#"
)

// kwSize returns the key-encryption key size of a kw-aes algorithm.
func kwSize(uri string) (int, bool) {
	switch uri {
	case KWAES128:
		return 16, true
	case KWAES192:
		return 24, true
	case KWAES256:
		return 32, true
	}
	return 0, false
}

// Named curves of ECKeyValue (XML Signature 1.1 §4.5.2.3, RFC 5480 OIDs).
const (
	curveP256 = "urn:oid:1.2.840.10045.3.1.7"
	curveP384 = "urn:oid:1.3.132.0.34"
	curveP521 = "urn:oid:1.3.132.0.35"
)

func curveFor(uri string) (ecdh.Curve, bool) {
	switch uri {
	case curveP256:
		return ecdh.P256(), true
	case curveP384:
		return ecdh.P384(), true
	case curveP521:
		return ecdh.P521(), true
	}
	return nil, false
}

func curveURI(c ecdh.Curve) string {
	switch c {
	case ecdh.P256():
		return curveP256
	case ecdh.P384():
		return curveP384
	case ecdh.P521():
		return curveP521
	}
	return ""
}

// Caps on the key agreement part.
const (
	maxECPoint  = 1 + 2*66 // uncompressed P-521 point
	maxKDFParam = 1024     // hex characters per ConcatKDFParams attribute
	maxWrapped  = 8 + 32   // kw-aes of a 256-bit session key
)

// agreement is a parsed ECDH-ES AgreementMethod with ConcatKDF.
type agreement struct {
	kekSize    int
	originator *ecdh.PublicKey
	hash       crypto.Hash
	otherInfo  []byte
}

// unwrap derives the key-encryption key with each EC key on the
// originator's curve and unwraps the session key; it returns every result of
// the wanted size.
func (ag *agreement) unwrap(keys []*ecdsa.PrivateKey, wrapped []byte, size int) [][]byte {
	var out [][]byte
	for _, k := range keys {
		priv, err := k.ECDH()
		if err != nil || priv.Curve() != ag.originator.Curve() {
			continue
		}
		z, err := priv.ECDH(ag.originator)
		if err != nil {
			continue
		}
		key, err := keyUnwrap(concatKDF(ag.hash, z, ag.kekSize, ag.otherInfo), wrapped)
		if err == nil && len(key) == size {
			out = append(out, key)
		}
	}
	return out
}

// parseAgreement reads the ds:KeyInfo/xenc:AgreementMethod of an
// EncryptedKey whose method is the kw-aes algorithm kw.
func parseAgreement(ek *etree.Element, kw string) (*agreement, error) {
	ki, err := one(ek, saml.NSDSig, "KeyInfo")
	if err != nil {
		return nil, err
	}
	am, err := one(ki, saml.NSXMLEnc, "AgreementMethod")
	if err != nil {
		return nil, err
	}
	if alg := am.SelectAttrValue("Algorithm", ""); alg != ECDHES {
		return nil, unsupported("AgreementMethod", alg)
	}
	size, _ := kwSize(kw)
	ag := &agreement{kekSize: size}
	if ag.hash, ag.otherInfo, err = parseConcatKDF(am); err != nil {
		return nil, err
	}
	if ag.originator, err = parseOriginator(am); err != nil {
		return nil, err
	}
	return ag, nil
}

// parseConcatKDF reads KeyDerivationMethod/ConcatKDFParams (XML Encryption
// 1.1 §5.4.1): the digest (SHA-256, -384 or -512) and OtherInfo, the
// concatenation of the five bit-string attributes.
func parseConcatKDF(am *etree.Element) (crypto.Hash, []byte, error) {
	kdm, err := one(am, NSXMLEnc11, "KeyDerivationMethod")
	if err != nil {
		return 0, nil, err
	}
	if alg := kdm.SelectAttrValue("Algorithm", ""); alg != ConcatKDF {
		return 0, nil, unsupported("KeyDerivationMethod", alg)
	}
	params, err := one(kdm, NSXMLEnc11, "ConcatKDFParams")
	if err != nil {
		return 0, nil, err
	}
	dm, err := one(params, saml.NSDSig, "DigestMethod")
	if err != nil {
		return 0, nil, err
	}
	uri := dm.SelectAttrValue("Algorithm", "")
	h, ok := digestHash(uri)
	if !ok || h == crypto.SHA1 || h == crypto.SHA224 {
		return 0, nil, unsupported("DigestMethod", uri)
	}
	var other []byte
	for _, name := range [...]string{"AlgorithmID", "PartyUInfo", "PartyVInfo", "SuppPubInfo", "SuppPrivInfo"} {
		b, err := bitString(params.SelectAttrValue(name, ""))
		if err != nil {
			return 0, nil, fmt.Errorf("ConcatKDFParams %s: %w", name, err)
		}
		other = append(other, b...)
	}
	return h, other, nil
}

// bitString decodes an XML Encryption 1.1 bit string: hex whose first octet
// counts the padding bits of the last octet. Only whole octets (padding 0)
// are accepted; "" is the empty string.
func bitString(s string) ([]byte, error) {
	if s == "" {
		return nil, nil
	}
	if len(s) > maxKDFParam {
		return nil, fmt.Errorf("longer than %d characters", maxKDFParam)
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, err
	}
	if b[0] != 0 {
		return nil, fmt.Errorf("%d padding bits not supported", b[0])
	}
	return b[1:], nil
}

// parseOriginator reads the ephemeral public key from
// OriginatorKeyInfo/ds:KeyValue/dsig11:ECKeyValue. The point is checked to
// lie on the named curve (invalid-curve attacks).
func parseOriginator(am *etree.Element) (*ecdh.PublicKey, error) {
	oki, err := one(am, saml.NSXMLEnc, "OriginatorKeyInfo")
	if err != nil {
		return nil, err
	}
	kv, err := one(oki, saml.NSDSig, "KeyValue")
	if err != nil {
		return nil, err
	}
	eckv, err := one(kv, NSDSig11, "ECKeyValue")
	if err != nil {
		return nil, err
	}
	nc, err := one(eckv, NSDSig11, "NamedCurve")
	if err != nil {
		return nil, err
	}
	uri := strings.TrimSpace(nc.SelectAttrValue("URI", ""))
	curve, ok := curveFor(uri)
	if !ok {
		return nil, unsupported("NamedCurve", uri)
	}
	pk, err := one(eckv, NSDSig11, "PublicKey")
	if err != nil {
		return nil, err
	}
	point, err := decodeBase64(pk, maxECPoint)
	if err != nil {
		return nil, err
	}
	return curve.NewPublicKey(point)
}

// agree performs the sender's half of ECDH-ES for the recipient key pub:
// an ephemeral key on its curve, ConcatKDF (SHA-256, empty OtherInfo) to a
// 256-bit key-encryption key, and kw-aes256 of the session key. It returns
// the EncryptedKey.
func agree(pub *ecdsa.PublicKey, sessionKey []byte, rnd io.Reader) (*etree.Element, error) {
	recipient, err := pub.ECDH()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnsupportedAlgorithm, err)
	}
	eph, err := recipient.Curve().GenerateKey(rnd)
	if err != nil {
		return nil, fmt.Errorf("%w: ephemeral key: %v", ErrEncrypt, err)
	}
	z, err := eph.ECDH(recipient)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrEncrypt, err)
	}
	wrapped, err := keyWrap(concatKDF(crypto.SHA256, z, 32, nil), sessionKey)
	if err != nil {
		return nil, fmt.Errorf("%w: key wrap: %v", ErrEncrypt, err)
	}
	ek := etree.NewElement("xenc:EncryptedKey")
	ek.CreateElement("xenc:EncryptionMethod").CreateAttr("Algorithm", KWAES256)
	am := ek.CreateElement("ds:KeyInfo").CreateElement("xenc:AgreementMethod")
	am.CreateAttr("Algorithm", ECDHES)
	kdm := am.CreateElement("xenc11:KeyDerivationMethod")
	kdm.CreateAttr("xmlns:xenc11", NSXMLEnc11)
	kdm.CreateAttr("Algorithm", ConcatKDF)
	params := kdm.CreateElement("xenc11:ConcatKDFParams")
	params.CreateAttr("AlgorithmID", "00")
	params.CreateAttr("PartyUInfo", "")
	params.CreateAttr("PartyVInfo", "")
	params.CreateElement("ds:DigestMethod").CreateAttr("Algorithm", DigestSHA256)
	eckv := am.CreateElement("xenc:OriginatorKeyInfo").CreateElement("ds:KeyValue").CreateElement("dsig11:ECKeyValue")
	eckv.CreateAttr("xmlns:dsig11", NSDSig11)
	eckv.CreateElement("dsig11:NamedCurve").CreateAttr("URI", curveURI(recipient.Curve()))
	eckv.CreateElement("dsig11:PublicKey").SetText(base64.StdEncoding.EncodeToString(eph.PublicKey().Bytes()))
	cipherData(ek, wrapped)
	return ek, nil
}
