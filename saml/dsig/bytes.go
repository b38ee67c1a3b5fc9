package dsig

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"encoding/asn1"
	"fmt"
	"math/big"
)

// maxSignatureBytes bounds a signature value: an RSA signature is as long as
// the modulus (at most MaxRSABits), an ECDSA r||s value at most 132 bytes.
const maxSignatureBytes = MaxRSABits / 8

// SignBytes signs data with key using the signature method URI. It is the
// raw operation behind XML-DSig and the HTTP-Redirect binding's query-string
// signature (SAMLBind §3.4.4.1). ECDSA values are r||s, each left-padded to
// the curve's byte size (XML-DSig 1.1 §6.4.3), not ASN.1; RSA-PSS uses MGF1
// with the same hash and a salt as long as the hash (RFC 6931 §2.3.10).
// SHA-1 and HMAC methods are refused, as are keys below the default Policy's
// sizes or keys that do not fit the method.
func SignBytes(key crypto.Signer, method string, data []byte) ([]byte, error) {
	if key == nil {
		return nil, fmt.Errorf("%w: nil signing key", ErrInvalidConfig)
	}
	alg, ok := lookupMethod(method)
	if !ok || alg.hash == crypto.SHA1 {
		return nil, verr(ErrUnsupportedAlgorithm, fmt.Sprintf("cannot sign with %q", method))
	}
	var strict Policy
	if err := strict.checkKey(key.Public(), alg); err != nil {
		return nil, err
	}
	h := alg.hash.New()
	h.Write(data)
	digest := h.Sum(nil)
	return signDigest(key, alg, digest)
}

func signDigest(key crypto.Signer, alg sigAlg, digest []byte) ([]byte, error) {
	var opts crypto.SignerOpts = alg.hash
	if alg.kind == kindRSAPSS {
		opts = &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash, Hash: alg.hash}
	}
	sig, err := key.Sign(rand.Reader, digest, opts)
	if err != nil {
		return nil, fmt.Errorf("dsig: signing: %w", err)
	}
	if alg.kind != kindECDSA {
		return sig, nil
	}
	pub, _ := key.Public().(*ecdsa.PublicKey)
	return asn1ToRS(sig, (pub.Curve.Params().BitSize+7)/8)
}

// asn1ToRS converts an ASN.1 ECDSA-Sig-Value to r||s with each half
// left-padded to size bytes.
func asn1ToRS(der []byte, size int) ([]byte, error) {
	var v struct{ R, S *big.Int }
	rest, err := asn1.Unmarshal(der, &v)
	if err != nil || len(rest) != 0 || v.R == nil || v.S == nil || v.R.Sign() <= 0 || v.S.Sign() <= 0 ||
		v.R.BitLen() > size*8 || v.S.BitLen() > size*8 {
		return nil, fmt.Errorf("dsig: signing: signer returned a malformed ECDSA signature")
	}
	out := make([]byte, 2*size)
	v.R.FillBytes(out[:size])
	v.S.FillBytes(out[size:])
	return out, nil
}

// VerifyBytes verifies sig over data with pub under method, after checking
// that p accepts the method and the key's type and size. Errors match
// ErrUnsupportedAlgorithm, ErrWeakKey, ErrBadSignature or ErrInvalidConfig.
// RSA-PSS is accepted only with a salt as long as the hash, the only form
// XML-DSig's MGF1 URIs define without explicit parameters. ECDSA values must
// be r||s of exactly twice the curve's byte size.
func VerifyBytes(pub crypto.PublicKey, method string, data, sig []byte, p Policy) error {
	if err := p.Validate(); err != nil {
		return err
	}
	alg, err := p.method(method)
	if err != nil {
		return err
	}
	if err := p.checkKey(pub, alg); err != nil {
		return err
	}
	h := alg.hash.New()
	h.Write(data)
	var buf [64]byte
	return verifyDigest(pub, alg, h.Sum(buf[:0]), sig)
}

// method resolves an accepted method URI.
func (p *Policy) method(method string) (sigAlg, error) {
	if method == HMACSHA1 {
		return sigAlg{}, verr(ErrUnsupportedAlgorithm, "HMAC signature methods are never accepted")
	}
	alg, ok := lookupMethod(method)
	if !ok || !p.allowsMethod(method) {
		return sigAlg{}, verr(ErrUnsupportedAlgorithm, fmt.Sprintf("signature method %q not allowed by policy", clip(method)))
	}
	return alg, nil
}

// verifyDigest checks sig over digest; pub must already have passed checkKey.
func verifyDigest(pub crypto.PublicKey, alg sigAlg, digest, sig []byte) error {
	if len(sig) == 0 || len(sig) > maxSignatureBytes {
		return verr(ErrBadSignature, fmt.Sprintf("signature value of %d bytes", len(sig)))
	}
	switch k := pub.(type) {
	case *rsa.PublicKey:
		var err error
		if alg.kind == kindRSAPSS {
			err = rsa.VerifyPSS(k, alg.hash, digest, sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash, Hash: alg.hash})
		} else {
			err = rsa.VerifyPKCS1v15(k, alg.hash, digest, sig)
		}
		if err != nil {
			return verr(ErrBadSignature, "RSA signature does not verify")
		}
		return nil
	case *ecdsa.PublicKey:
		size := (k.Curve.Params().BitSize + 7) / 8
		if len(sig) != 2*size {
			return verr(ErrBadSignature, fmt.Sprintf("ECDSA value of %d bytes, want r||s of %d", len(sig), 2*size))
		}
		r := new(big.Int).SetBytes(sig[:size])
		s := new(big.Int).SetBytes(sig[size:])
		if !ecdsa.Verify(k, digest, r, s) {
			return verr(ErrBadSignature, "ECDSA signature does not verify")
		}
		return nil
	}
	return verr(ErrUnsupportedAlgorithm, fmt.Sprintf("key type %T", pub))
}
