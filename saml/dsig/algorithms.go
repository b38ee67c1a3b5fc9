package dsig

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"errors"
	"fmt"
	"slices"

	// Register the hash functions the algorithm table names.
	_ "crypto/sha1"
	_ "crypto/sha256"
	_ "crypto/sha512"
)

// Signature method URIs (XML-DSig 1.1 §6.4, RFC 9231, RFC 6931).
const (
	// RSASHA1 is RSA PKCS#1 v1.5 with SHA-1; refused unless Policy.AllowSHA1.
	RSASHA1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
	// RSASHA256 is RSA PKCS#1 v1.5 with SHA-256.
	RSASHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
	// RSASHA384 is RSA PKCS#1 v1.5 with SHA-384.
	RSASHA384 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384"
	// RSASHA512 is RSA PKCS#1 v1.5 with SHA-512.
	RSASHA512 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512"

	// RSAPSSSHA256 is RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt.
	RSAPSSSHA256 = "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1"
	// RSAPSSSHA384 is RSASSA-PSS with SHA-384, MGF1-SHA-384 and a 48-byte salt.
	RSAPSSSHA384 = "http://www.w3.org/2007/05/xmldsig-more#sha384-rsa-MGF1"
	// RSAPSSSHA512 is RSASSA-PSS with SHA-512, MGF1-SHA-512 and a 64-byte salt.
	RSAPSSSHA512 = "http://www.w3.org/2007/05/xmldsig-more#sha512-rsa-MGF1"

	// ECDSASHA256 is ECDSA with SHA-256; the value is r||s.
	ECDSASHA256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
	// ECDSASHA384 is ECDSA with SHA-384; the value is r||s.
	ECDSASHA384 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384"
	// ECDSASHA512 is ECDSA with SHA-512; the value is r||s.
	ECDSASHA512 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512"

	// HMACSHA1 is named only so that it can be refused explicitly: a MAC
	// keyed by the message itself proves nothing. It is never accepted.
	HMACSHA1 = "http://www.w3.org/2000/09/xmldsig#hmac-sha1"
)

// Digest method URIs.
const (
	// DigestSHA1 is SHA-1; refused unless Policy.AllowSHA1.
	DigestSHA1 = "http://www.w3.org/2000/09/xmldsig#sha1"
	// DigestSHA256 is SHA-256, the default.
	DigestSHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
	// DigestSHA384 is SHA-384.
	DigestSHA384 = "http://www.w3.org/2001/04/xmldsig-more#sha384"
	// DigestSHA512 is SHA-512.
	DigestSHA512 = "http://www.w3.org/2001/04/xmlenc#sha512"
)

// Canonicalisation and transform URIs.
const (
	// ExcC14N is exclusive XML canonicalisation without comments, the only
	// canonicalisation this package accepts or produces.
	ExcC14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
	// ExcC14NWithComments is refused: comments must not be signed content.
	ExcC14NWithComments = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments"
	// EnvelopedSignature is the enveloped-signature transform.
	EnvelopedSignature = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
)

// Key size limits.
const (
	// DefaultMinRSABits is the RSA modulus size a zero Policy requires.
	DefaultMinRSABits = 2048
	// EIDASMinRSABits is the RSA modulus size EIDASPolicy requires.
	EIDASMinRSABits = 3072
	// DefaultMinECBits is the curve size a zero Policy requires (P-256).
	DefaultMinECBits = 256
	// MaxRSABits bounds the RSA keys accepted for signing and verifying, to
	// bound the work one verification can cost.
	MaxRSABits = 16384
)

type keyKind uint8

const (
	kindRSA keyKind = iota + 1
	kindRSAPSS
	kindECDSA
)

type sigAlg struct {
	hash crypto.Hash
	kind keyKind
}

func lookupMethod(method string) (sigAlg, bool) {
	switch method {
	case RSASHA1:
		return sigAlg{crypto.SHA1, kindRSA}, true
	case RSASHA256:
		return sigAlg{crypto.SHA256, kindRSA}, true
	case RSASHA384:
		return sigAlg{crypto.SHA384, kindRSA}, true
	case RSASHA512:
		return sigAlg{crypto.SHA512, kindRSA}, true
	case RSAPSSSHA256:
		return sigAlg{crypto.SHA256, kindRSAPSS}, true
	case RSAPSSSHA384:
		return sigAlg{crypto.SHA384, kindRSAPSS}, true
	case RSAPSSSHA512:
		return sigAlg{crypto.SHA512, kindRSAPSS}, true
	case ECDSASHA256:
		return sigAlg{crypto.SHA256, kindECDSA}, true
	case ECDSASHA384:
		return sigAlg{crypto.SHA384, kindECDSA}, true
	case ECDSASHA512:
		return sigAlg{crypto.SHA512, kindECDSA}, true
	}
	return sigAlg{}, false
}

func lookupDigest(uri string) (crypto.Hash, bool) {
	switch uri {
	case DigestSHA1:
		return crypto.SHA1, true
	case DigestSHA256:
		return crypto.SHA256, true
	case DigestSHA384:
		return crypto.SHA384, true
	case DigestSHA512:
		return crypto.SHA512, true
	}
	return 0, false
}

// Policy says which algorithms and key sizes a verifier accepts. The zero
// value is the strict default: RSA PKCS#1 v1.5 with SHA-256/384/512,
// RSASSA-PSS with SHA-256/384/512, ECDSA with SHA-256/384/512 on P-256,
// P-384 and P-521, digests SHA-256/384/512; SHA-1 and HMAC refused; RSA keys
// of at least 2048 bits and curves of at least 256 bits.
type Policy struct {
	// Methods lists the accepted SignatureMethod URIs. Nil means every
	// method above except RSASHA1 (which AllowSHA1 adds).
	Methods []string
	// Digests lists the accepted DigestMethod URIs. Nil means SHA-256,
	// SHA-384 and SHA-512 (and SHA-1 if AllowSHA1).
	Digests []string
	// MinRSABits is the smallest accepted RSA modulus. Zero means
	// DefaultMinRSABits; values below DefaultMinRSABits are refused by
	// Validate.
	MinRSABits int
	// MinECBits is the smallest accepted curve size. Zero means
	// DefaultMinECBits.
	MinECBits int
	// AllowSHA1 accepts RSASHA1 and DigestSHA1 (in the default lists, and in
	// explicit Methods/Digests, which otherwise may not name them). RISK:
	// SHA-1 has practical chosen-prefix collisions; a peer able to get one
	// document signed can forge another. Enable only for a named legacy
	// partner (NIAS production metadata is still signed with rsa-sha1).
	AllowSHA1 bool
}

// EIDASPolicy is the eIDAS crypto profile: RSASSA-PSS or ECDSA with
// SHA-256/384/512 only, RSA keys of at least 3072 bits, curves of at least
// 256 bits.
func EIDASPolicy() Policy {
	return Policy{
		Methods: []string{
			RSAPSSSHA256, RSAPSSSHA384, RSAPSSSHA512,
			ECDSASHA256, ECDSASHA384, ECDSASHA512,
		},
		Digests:    []string{DigestSHA256, DigestSHA384, DigestSHA512},
		MinRSABits: EIDASMinRSABits,
		MinECBits:  DefaultMinECBits,
	}
}

// Validate reports every problem of p at once, joined; each matches
// ErrInvalidConfig.
func (p Policy) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: policy: "+format, append([]any{ErrInvalidConfig}, args...)...))
	}
	if p.Methods != nil && len(p.Methods) == 0 {
		bad("Methods is empty (nil means the default set)")
	}
	for _, m := range p.Methods {
		if _, ok := lookupMethod(m); !ok {
			bad("unknown signature method %q", m)
		} else if m == RSASHA1 && !p.AllowSHA1 {
			bad("method %q needs AllowSHA1", m)
		}
	}
	if p.Digests != nil && len(p.Digests) == 0 {
		bad("Digests is empty (nil means the default set)")
	}
	for _, d := range p.Digests {
		if _, ok := lookupDigest(d); !ok {
			bad("unknown digest method %q", d)
		} else if d == DigestSHA1 && !p.AllowSHA1 {
			bad("digest %q needs AllowSHA1", d)
		}
	}
	if p.MinRSABits != 0 && (p.MinRSABits < DefaultMinRSABits || p.MinRSABits > MaxRSABits) {
		bad("MinRSABits %d outside [%d, %d]", p.MinRSABits, DefaultMinRSABits, MaxRSABits)
	}
	if p.MinECBits != 0 && (p.MinECBits < DefaultMinECBits || p.MinECBits > 521) {
		bad("MinECBits %d outside [%d, 521]", p.MinECBits, DefaultMinECBits)
	}
	return errors.Join(errs...)
}

// allowsMethod reports whether p accepts the signature method.
func (p *Policy) allowsMethod(method string) bool {
	if method == RSASHA1 && !p.AllowSHA1 {
		return false
	}
	if p.Methods == nil {
		_, ok := lookupMethod(method)
		return ok
	}
	return slices.Contains(p.Methods, method)
}

// allowsDigest reports whether p accepts the digest method.
func (p *Policy) allowsDigest(uri string) bool {
	if uri == DigestSHA1 && !p.AllowSHA1 {
		return false
	}
	if p.Digests == nil {
		_, ok := lookupDigest(uri)
		return ok
	}
	return slices.Contains(p.Digests, uri)
}

func (p *Policy) minRSA() int {
	if p.MinRSABits == 0 {
		return DefaultMinRSABits
	}
	return p.MinRSABits
}

func (p *Policy) minEC() int {
	if p.MinECBits == 0 {
		return DefaultMinECBits
	}
	return p.MinECBits
}

// checkKey reports whether pub fits the algorithm and p's key sizes.
func (p *Policy) checkKey(pub crypto.PublicKey, alg sigAlg) error {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if alg.kind != kindRSA && alg.kind != kindRSAPSS {
			return verr(ErrUnsupportedAlgorithm, "RSA key for a non-RSA method")
		}
		if k.N == nil {
			return verr(ErrWeakKey, "RSA key without modulus")
		}
		bits := k.N.BitLen()
		if bits > MaxRSABits {
			return verr(ErrUnsupportedAlgorithm, fmt.Sprintf("RSA key of %d bits exceeds %d", bits, MaxRSABits))
		}
		if bits < p.minRSA() {
			return verr(ErrWeakKey, fmt.Sprintf("RSA key of %d bits, policy needs %d", bits, p.minRSA()))
		}
	case *ecdsa.PublicKey:
		if alg.kind != kindECDSA {
			return verr(ErrUnsupportedAlgorithm, "EC key for a non-ECDSA method")
		}
		size, err := curveBits(k.Curve)
		if err != nil {
			return err
		}
		if size < p.minEC() {
			return verr(ErrWeakKey, fmt.Sprintf("EC key of %d bits, policy needs %d", size, p.minEC()))
		}
	default:
		return verr(ErrUnsupportedAlgorithm, fmt.Sprintf("key type %T", pub))
	}
	return nil
}

func curveBits(c elliptic.Curve) (int, error) {
	switch c {
	case elliptic.P256():
		return 256, nil
	case elliptic.P384():
		return 384, nil
	case elliptic.P521():
		return 521, nil
	}
	return 0, verr(ErrUnsupportedAlgorithm, "EC curve other than P-256, P-384, P-521")
}

// DefaultMethod returns the signature method this package uses for pub when
// none is configured: RSASHA256 for RSA, ECDSASHA256/384/512 for
// P-256/P-384/P-521. Other keys give ErrUnsupportedAlgorithm.
func DefaultMethod(pub crypto.PublicKey) (string, error) {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return RSASHA256, nil
	case *ecdsa.PublicKey:
		bits, err := curveBits(k.Curve)
		if err != nil {
			return "", err
		}
		switch bits {
		case 256:
			return ECDSASHA256, nil
		case 384:
			return ECDSASHA384, nil
		default:
			return ECDSASHA512, nil
		}
	}
	return "", verr(ErrUnsupportedAlgorithm, fmt.Sprintf("key type %T", pub))
}
