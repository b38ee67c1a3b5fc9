package dsig

import (
	"crypto"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/beevik/etree"
)

const (
	nsDS        = "http://www.w3.org/2000/09/xmldsig#"
	nsAssertion = "urn:oasis:names:tc:SAML:2.0:assertion"
	nsExcC14N   = ExcC14N
	idAttr      = "ID"
)

// Signer produces enveloped XML Signatures (SAMLCore §5.4): ds prefix,
// exclusive c14n, one Reference to the element's ID with the
// enveloped-signature and exc-c14n transforms, and KeyInfo carrying the
// first certificate. It is plain data; the zero Method and Digest pick
// defaults.
type Signer struct {
	// Key signs. RSA keys need at least DefaultMinRSABits, EC keys P-256 or
	// larger.
	Key crypto.Signer
	// Certificates go into KeyInfo/X509Data (only the first one), purely as
	// a hint for the peer; may be empty.
	Certificates []*x509.Certificate
	// Method is the SignatureMethod URI; "" means DefaultMethod(Key.Public()).
	// SHA-1 and HMAC methods are refused.
	Method string
	// Digest is the DigestMethod URI; "" means DigestSHA256. SHA-1 is refused.
	Digest string
}

// Validate reports every configuration problem of s at once, joined: no
// key, a method or digest that cannot be used (SHA-1, HMAC, unknown, not
// fitting the key), a key below DefaultMinRSABits or P-256, or a first
// certificate that does not hold the key's public half. Each problem
// matches ErrInvalidConfig and, where one applies, ErrUnsupportedAlgorithm
// or ErrWeakKey.
func (s *Signer) Validate() error {
	if s == nil {
		return fmt.Errorf("%w: nil signer", ErrInvalidConfig)
	}
	var errs []error
	if s.Key == nil {
		errs = append(errs, fmt.Errorf("%w: signer has no key", ErrInvalidConfig))
	} else {
		if _, _, err := s.method(); err != nil {
			errs = append(errs, configErr(err))
		}
		if len(s.Certificates) > 0 && !holdsKey(s.Certificates[0], s.Key.Public()) {
			errs = append(errs, fmt.Errorf("%w: Certificates[0] does not hold the signing key", ErrInvalidConfig))
		}
	}
	if _, err := s.digest(); err != nil {
		errs = append(errs, configErr(err))
	}
	return errors.Join(errs...)
}

func holdsKey(c *x509.Certificate, pub crypto.PublicKey) bool {
	k, ok := pub.(interface{ Equal(crypto.PublicKey) bool })
	return c != nil && ok && k.Equal(c.PublicKey)
}

// method resolves the signature method; s.Key must not be nil.
func (s *Signer) method() (sigAlg, string, error) {
	method := s.Method
	if method == "" {
		m, err := DefaultMethod(s.Key.Public())
		if err != nil {
			return sigAlg{}, "", err
		}
		method = m
	}
	alg, ok := lookupMethod(method)
	if !ok || alg.hash == crypto.SHA1 {
		return sigAlg{}, "", verr(ErrUnsupportedAlgorithm, fmt.Sprintf("cannot sign with %q", clip(method)))
	}
	var strict Policy
	if err := strict.checkKey(s.Key.Public(), alg); err != nil {
		return sigAlg{}, "", err
	}
	return alg, method, nil
}

func (s *Signer) digest() (crypto.Hash, error) {
	digest := s.Digest
	if digest == "" {
		digest = DigestSHA256
	}
	h, ok := lookupDigest(digest)
	if !ok || h == crypto.SHA1 {
		return 0, verr(ErrUnsupportedAlgorithm, fmt.Sprintf("cannot digest with %q", clip(digest)))
	}
	return h, nil
}

// Sign signs el in place. el must carry a non-empty ID attribute and no
// ds:Signature child yet. The ds:Signature is inserted right after el's
// saml:Issuer child if there is one (SAMLCore schema order), else as the
// first child. On error el is left unchanged.
//
// Serialise the signed document with etree's WriteSettings CanonicalText
// and CanonicalAttrVal set (or another writer that escapes CR in text and
// TAB, LF and CR in attribute values): etree's default writer leaves them
// raw, a receiving parser normalises them (XML 1.0 §2.11, §3.3.3) and the
// signature no longer verifies. Text must also be valid XML characters;
// etree replaces invalid ones with U+FFFD when writing.
func (s *Signer) Sign(el *etree.Element) error {
	if err := s.Validate(); err != nil {
		return err
	}
	alg, method, _ := s.method()
	dh, _ := s.digest()
	if el == nil {
		return fmt.Errorf("%w: nil element", ErrInvalidConfig)
	}
	id := el.SelectAttrValue(idAttr, "")
	if id == "" {
		return verr(ErrBadReference, "element to sign has no ID attribute")
	}
	if HasSignature(el) {
		return verr(ErrBadSignature, "element already carries a ds:Signature")
	}
	h := dh.New()
	if err := canonicalize(h, el, nil, nil); err != nil {
		return err
	}
	sig, signedInfo := s.buildSignature(method, id, base64.StdEncoding.EncodeToString(h.Sum(nil)))
	el.InsertChildAt(signaturePosition(el), sig)
	value, err := s.signSignedInfo(alg, signedInfo)
	if err != nil {
		el.RemoveChild(sig)
		return err
	}
	sv := etree.NewElement("ds:SignatureValue")
	sv.SetText(base64.StdEncoding.EncodeToString(value))
	sig.InsertChildAt(1, sv)
	return nil
}

func (s *Signer) signSignedInfo(alg sigAlg, signedInfo *etree.Element) ([]byte, error) {
	h := alg.hash.New()
	if err := canonicalize(h, signedInfo, nil, nil); err != nil {
		return nil, err
	}
	return signDigest(s.Key, alg, h.Sum(nil))
}

// buildSignature returns the ds:Signature (without SignatureValue) and its
// SignedInfo.
func (s *Signer) buildSignature(method, id, digestValue string) (sig, signedInfo *etree.Element) {
	sig = etree.NewElement("ds:Signature")
	sig.CreateAttr("xmlns:ds", nsDS)
	signedInfo = sig.CreateElement("ds:SignedInfo")
	signedInfo.CreateElement("ds:CanonicalizationMethod").CreateAttr("Algorithm", ExcC14N)
	signedInfo.CreateElement("ds:SignatureMethod").CreateAttr("Algorithm", method)
	ref := signedInfo.CreateElement("ds:Reference")
	ref.CreateAttr("URI", "#"+id)
	transforms := ref.CreateElement("ds:Transforms")
	transforms.CreateElement("ds:Transform").CreateAttr("Algorithm", EnvelopedSignature)
	transforms.CreateElement("ds:Transform").CreateAttr("Algorithm", ExcC14N)
	digest := s.Digest
	if digest == "" {
		digest = DigestSHA256
	}
	ref.CreateElement("ds:DigestMethod").CreateAttr("Algorithm", digest)
	ref.CreateElement("ds:DigestValue").SetText(digestValue)
	if len(s.Certificates) > 0 && s.Certificates[0] != nil {
		x509Data := sig.CreateElement("ds:KeyInfo").CreateElement("ds:X509Data")
		x509Data.CreateElement("ds:X509Certificate").SetText(base64.StdEncoding.EncodeToString(s.Certificates[0].Raw))
	}
	return sig, signedInfo
}

// signaturePosition is the child index for the ds:Signature: right after a
// saml:Issuer child, else first.
func signaturePosition(el *etree.Element) int {
	for _, tok := range el.Child {
		if c, ok := tok.(*etree.Element); ok {
			if c.Tag == "Issuer" && c.NamespaceURI() == nsAssertion {
				return c.Index() + 1
			}
		}
	}
	return 0
}

// HasSignature reports whether el has a ds:Signature as a direct child.
func HasSignature(el *etree.Element) bool {
	if el == nil {
		return false
	}
	for _, tok := range el.Child {
		if c, ok := tok.(*etree.Element); ok && isDS(c, "Signature") {
			return true
		}
	}
	return false
}

func isDS(el *etree.Element, tag string) bool {
	return el.Tag == tag && el.NamespaceURI() == nsDS
}
