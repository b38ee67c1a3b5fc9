package dsig

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/subtle"
	"crypto/x509"
	"errors"
	"fmt"
	"time"

	"github.com/beevik/etree"
)

// maxKeyInfoCerts bounds how many KeyInfo certificates are read as hints.
const maxKeyInfoCerts = 8

// Verifier checks enveloped XML Signatures against configured certificates.
// It is plain data; the zero Policy is strict.
//
// Certificate validity dates are not checked by default: in SAML the
// certificates come from configured metadata and act as trust anchors by
// configuration (SAML2Meta §2.4.1.1, N23), their dates are often left to
// lapse by partners, and rollover is done by publishing a new key. Set
// CheckValidity to enforce them anyway (the eIDAS node does).
type Verifier struct {
	// Certificates are the only trusted keys, from configured metadata;
	// several allow key rollover and each is tried. Keys carried in a
	// message's KeyInfo are never trusted; a KeyInfo certificate is only
	// used to try the identical configured certificate first.
	Certificates []*x509.Certificate
	// Policy says which algorithms and key sizes are accepted; the zero
	// value is strict.
	Policy Policy
	// CheckValidity refuses certificates outside NotBefore..NotAfter at Now.
	CheckValidity bool
	// Now is the clock for CheckValidity; nil means time.Now.
	Now func() time.Time
}

// Verify verifies the ds:Signature that is a direct child of el. It
// requires exactly one such Signature, exactly one Reference whose URI is
// "#" + el's own non-empty ID (unique in the document), the
// enveloped-signature and exc-c14n transforms, exc-c14n for SignedInfo,
// methods and key sizes allowed by the Policy, a digest equal (in constant
// time) to that of el itself without the Signature, and a SignatureValue
// that verifies under one of v.Certificates. It returns that certificate.
//
// The digest covers el and its subtree as passed in, so callers must read
// the signed data from el (and its descendants) only, and read text with a
// whole-text reader such as saml.Text: comments are not signed.
func (v *Verifier) Verify(el *etree.Element) (*x509.Certificate, error) {
	if err := v.Validate(); err != nil {
		return nil, err
	}
	if el == nil {
		return nil, verr(ErrNoSignature, "nil element")
	}
	sig, err := signatureChild(el)
	if err != nil {
		return nil, err
	}
	ps, err := parseSignature(sig, &v.Policy)
	if err != nil {
		return nil, err
	}
	if err := checkReference(el, ps.uri); err != nil {
		return nil, err
	}
	h := ps.digestHash.New()
	if err := canonicalize(h, el, sig, ps.refPrefixes); err != nil {
		return nil, err
	}
	var sum [64]byte
	if subtle.ConstantTimeCompare(h.Sum(sum[:0]), ps.digestValue) != 1 {
		return nil, verr(ErrBadSignature, "digest of the signed element does not match DigestValue")
	}
	sh := ps.alg.hash.New()
	if err := canonicalize(sh, ps.signedInfo, nil, ps.c14nPrefixes); err != nil {
		return nil, err
	}
	return v.verifySignedInfo(ps, sh.Sum(sum[:0]))
}

// Validate reports every configuration problem of v at once, joined: an
// invalid Policy, no certificates (also ErrUntrustedKey), a nil
// certificate, or a certificate whose key the Policy can never accept
// (also ErrWeakKey or ErrUnsupportedAlgorithm). Each matches
// ErrInvalidConfig. Verify calls it first, so a misconfigured Verifier
// fails every verification; call it at start-up to fail early.
func (v *Verifier) Validate() error {
	if v == nil {
		return fmt.Errorf("%w: nil verifier", ErrInvalidConfig)
	}
	errs := []error{v.Policy.Validate()}
	if len(v.Certificates) == 0 {
		errs = append(errs, configErr(verr(ErrUntrustedKey, "no trusted certificates configured")))
	}
	for i, c := range v.Certificates {
		if c == nil {
			errs = append(errs, fmt.Errorf("%w: Certificates[%d] is nil", ErrInvalidConfig, i))
			continue
		}
		if err := v.Policy.checkKey(c.PublicKey, anyAlgFor(c.PublicKey)); err != nil {
			errs = append(errs, &configError{field: fmt.Sprintf("Certificates[%d]", i), err: err})
		}
	}
	return errors.Join(errs...)
}

// anyAlgFor returns an algorithm of the key's kind, to check key sizes.
func anyAlgFor(pub any) sigAlg {
	if _, ok := pub.(*ecdsa.PublicKey); ok {
		return sigAlg{kind: kindECDSA}
	}
	return sigAlg{kind: kindRSA}
}

// signatureChild returns the single ds:Signature child of el.
func signatureChild(el *etree.Element) (*etree.Element, error) {
	var sig *etree.Element
	for _, tok := range el.Child {
		c, ok := tok.(*etree.Element)
		if !ok || !isDS(c, "Signature") {
			continue
		}
		if sig != nil {
			return nil, verr(ErrBadSignature, "more than one ds:Signature child")
		}
		sig = c
	}
	if sig == nil {
		return nil, verr(ErrNoSignature, "no ds:Signature child of "+clip(el.FullTag()))
	}
	return sig, nil
}

// checkReference requires uri == "#" + el's ID, and that ID to be unique
// among the ID attributes of el's document.
func checkReference(el *etree.Element, uri string) error {
	id := el.SelectAttrValue(idAttr, "")
	if id == "" {
		return verr(ErrBadReference, "signed element has no ID attribute")
	}
	if len(uri) != len(id)+1 || uri[0] != '#' || uri[1:] != id {
		return verr(ErrBadReference, fmt.Sprintf("Reference URI %q does not point to the element's ID", clip(uri)))
	}
	root := el
	for root.Parent() != nil {
		root = root.Parent()
	}
	if countID(root, id) != 1 {
		return verr(ErrBadReference, fmt.Sprintf("ID %q is not unique in the document", clip(id)))
	}
	return nil
}

func countID(el *etree.Element, id string) int {
	n := 0
	for i := range el.Attr {
		if a := &el.Attr[i]; a.Space == "" && a.Key == idAttr && a.Value == id {
			n++
		}
	}
	for _, tok := range el.Child {
		if c, ok := tok.(*etree.Element); ok {
			n += countID(c, id)
		}
	}
	return n
}

// verifySignedInfo tries each configured certificate, the one named by
// KeyInfo first.
func (v *Verifier) verifySignedInfo(ps *parsedSignature, digest []byte) (*x509.Certificate, error) {
	certs := v.Certificates
	var hinted []*x509.Certificate
	if len(certs) > 1 {
		hinted = keyInfoCerts(ps.keyInfo)
		certs = orderByHint(certs, hinted)
	}
	var keyErr error
	tried := false
	for _, c := range certs {
		if err := v.usable(c, ps.alg); err != nil {
			keyErr = cmpOr(keyErr, err)
			continue
		}
		tried = true
		if verifyDigest(c.PublicKey, ps.alg, digest, ps.value) == nil {
			return c, nil
		}
	}
	if !tried {
		return nil, keyErr
	}
	if hinted == nil {
		hinted = keyInfoCerts(ps.keyInfo)
	}
	if len(hinted) > 0 && !anyConfigured(v.Certificates, hinted) {
		return nil, verr(ErrUntrustedKey, "signature does not verify under any configured certificate; KeyInfo names an unconfigured one")
	}
	return nil, verr(ErrBadSignature, "SignatureValue does not verify under any configured certificate")
}

func cmpOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// usable checks c's key against the method and Policy and, if asked, c's
// validity period.
func (v *Verifier) usable(c *x509.Certificate, alg sigAlg) error {
	if err := v.Policy.checkKey(c.PublicKey, alg); err != nil {
		return err
	}
	if v.CheckValidity {
		now := time.Now()
		if v.Now != nil {
			now = v.Now()
		}
		if now.Before(c.NotBefore) || now.After(c.NotAfter) {
			return verr(ErrUntrustedKey, fmt.Sprintf("certificate %q not valid at %s", c.Subject.String(), now.UTC().Format(time.RFC3339)))
		}
	}
	return nil
}

// keyInfoCerts reads KeyInfo/X509Data/X509Certificate values as raw DER;
// unreadable ones are ignored (they are hints only).
func keyInfoCerts(keyInfo *etree.Element) []*x509.Certificate {
	if keyInfo == nil {
		return nil
	}
	var out []*x509.Certificate
	for _, tok := range keyInfo.Child {
		xd, ok := tok.(*etree.Element)
		if !ok || !isDS(xd, "X509Data") {
			continue
		}
		for _, t2 := range xd.Child {
			xc, ok := t2.(*etree.Element)
			if !ok || !isDS(xc, "X509Certificate") || len(out) >= maxKeyInfoCerts {
				continue
			}
			if der, err := base64Text(xc); err == nil && len(der) > 0 {
				out = append(out, &x509.Certificate{Raw: der})
			}
		}
	}
	return out
}

// orderByHint returns certs with those whose DER equals a hinted one first.
func orderByHint(certs, hinted []*x509.Certificate) []*x509.Certificate {
	if len(hinted) == 0 {
		return certs
	}
	out := make([]*x509.Certificate, 0, len(certs))
	for _, c := range certs {
		if containsRaw(hinted, c) {
			out = append(out, c)
		}
	}
	for _, c := range certs {
		if !containsRaw(hinted, c) {
			out = append(out, c)
		}
	}
	return out
}

func anyConfigured(certs, hinted []*x509.Certificate) bool {
	for _, c := range certs {
		if containsRaw(hinted, c) {
			return true
		}
	}
	return false
}

func containsRaw(list []*x509.Certificate, c *x509.Certificate) bool {
	for _, h := range list {
		if bytes.Equal(h.Raw, c.Raw) {
			return true
		}
	}
	return false
}
