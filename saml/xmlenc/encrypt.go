package xmlenc

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"io"

	"github.com/beevik/etree"

	"github.com/eidkit/eidkit/saml"
)

// MinRSABits is the smallest recipient RSA modulus [Encrypter] encrypts to.
const MinRSABits = 2048

// Encrypter encrypts elements for one recipient, as an IdP or the broker does
// for the SP or connector whose metadata published Certificate with
// KeyDescriptor use="encryption" (requirement N23: trust through exchanged
// certificates; spec-digest §2.6).
//
// The zero value of every field but Certificate is the eIDAS profile:
// AES-256-GCM data encryption with RSA-OAEP (SHA-256 digest, MGF1-SHA256) key
// transport. An Encrypter is plain data; it is safe for concurrent use as
// long as its fields are not changed and Rand (if set) is itself safe for
// concurrent use.
type Encrypter struct {
	// Certificate is the recipient's encryption certificate, taken from its
	// metadata. Its public key is RSA of at least MinRSABits bits (RSA-OAEP
	// key transport) or EC on P-256, P-384 or P-521 (ECDH-ES key agreement
	// with kw-aes256, spec-digest §2.6). Validity dates are not checked:
	// SAML metadata is the trust anchor.
	Certificate *x509.Certificate

	// DataMethod is the block encryption algorithm: AES128GCM, AES192GCM or
	// AES256GCM. Empty means AES256GCM. CBC modes are never produced.
	DataMethod string

	// KeyTransport is, for an RSA certificate, RSAOAEP (written with SHA-256
	// and MGF1-SHA256) or, for peers that only read XML Encryption 1.0,
	// RSAOAEPMGF1P (SHA-1 digest, MGF1-SHA1); empty means RSAOAEP. For an EC
	// certificate it is ECDHES or empty: ECDH-ES with an ephemeral key,
	// ConcatKDF (SHA-256) and kw-aes256.
	KeyTransport string

	// Rand is the source of the session key and GCM nonce. Nil means
	// crypto/rand.Reader; tests may inject a deterministic reader.
	Rand io.Reader
}

// Validate reports every problem of e's fields at once, joined; each wraps
// ErrInvalidConfig, ErrUnsupportedAlgorithm or ErrWeakKey.
func (e *Encrypter) Validate() error {
	var errs []error
	if e.Certificate == nil {
		errs = append(errs, configError("Encrypter.Certificate is nil"))
	} else if err := checkRecipientKey(e.Certificate.PublicKey); err != nil {
		errs = append(errs, err)
	}
	if _, err := e.dataMethod(); err != nil {
		errs = append(errs, err)
	}
	if _, err := e.keyTransport(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func checkRecipientKey(pub crypto.PublicKey) error {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if k.N.BitLen() < MinRSABits {
			return fmt.Errorf("%w: RSA key of %d bits, need at least %d", ErrWeakKey, k.N.BitLen(), MinRSABits)
		}
		return nil
	case *ecdsa.PublicKey:
		if _, err := k.ECDH(); err != nil {
			return fmt.Errorf("%w: EC key: %v", ErrUnsupportedAlgorithm, err)
		}
		return nil
	}
	return fmt.Errorf("%w: recipient key %T", ErrUnsupportedAlgorithm, pub)
}

func (e *Encrypter) dataMethod() (dataAlgorithm, error) {
	uri := e.DataMethod
	if uri == "" {
		uri = AES256GCM
	}
	return lookupData(uri, false)
}

// transport is a resolved key transport: the method URI and its OAEP hashes.
type transport struct {
	uri         string
	digest, mgf crypto.Hash
	digestURI   string
	mgfURI      string // "" = no MGF element
}

func (e *Encrypter) keyTransport() (transport, error) {
	if e.Certificate != nil {
		if _, ok := e.Certificate.PublicKey.(*ecdsa.PublicKey); ok {
			if e.KeyTransport != "" && e.KeyTransport != ECDHES {
				return transport{}, configError("KeyTransport %q needs an RSA certificate", e.KeyTransport)
			}
			return transport{uri: ECDHES}, nil
		}
	}
	switch e.KeyTransport {
	case "", RSAOAEP:
		return transport{uri: RSAOAEP, digest: crypto.SHA256, mgf: crypto.SHA256, digestURI: DigestSHA256, mgfURI: MGF1SHA256}, nil
	case RSAOAEPMGF1P:
		return transport{uri: RSAOAEPMGF1P, digest: crypto.SHA1, mgf: crypto.SHA1, digestURI: DigestSHA1}, nil
	case ECDHES:
		return transport{}, configError("KeyTransport ECDH-ES needs an EC certificate")
	}
	return transport{}, unsupported("EncryptionMethod", e.KeyTransport)
}

func (e *Encrypter) rand() io.Reader {
	if e.Rand == nil {
		return rand.Reader
	}
	return e.Rand
}

// Encrypt encrypts el (with its descendants) and returns the
// xenc:EncryptedData element that should replace it; el and its document are
// not changed. The plaintext declares on its root every namespace in scope at
// el, so it parses on its own. The result declares the xenc and ds prefixes
// itself and carries the session key in ds:KeyInfo/xenc:EncryptedKey.
func (e *Encrypter) Encrypt(el *etree.Element) (*etree.Element, error) {
	if err := e.Validate(); err != nil {
		return nil, err
	}
	if el == nil {
		return nil, fmt.Errorf("%w: nil element", ErrEncrypt)
	}
	alg, _ := e.dataMethod()
	tr, _ := e.keyTransport()
	plaintext, err := serialize(el)
	if err != nil {
		return nil, err
	}
	rnd := e.rand()
	key := make([]byte, alg.keySize)
	if _, err := io.ReadFull(rnd, key); err != nil {
		return nil, fmt.Errorf("%w: random key: %v", ErrEncrypt, err)
	}
	ciphertext, err := seal(alg, key, plaintext, rnd)
	if err != nil {
		return nil, err
	}
	ek, err := e.encryptedKey(tr, key, rnd)
	if err != nil {
		return nil, err
	}
	return encryptedData(alg, ek, ciphertext), nil
}

// encryptedKey carries the session key to the recipient: RSA-OAEP for an
// RSA certificate, ECDH-ES with kw-aes256 for an EC one.
func (e *Encrypter) encryptedKey(tr transport, key []byte, rnd io.Reader) (*etree.Element, error) {
	switch pub := e.Certificate.PublicKey.(type) {
	case *ecdsa.PublicKey:
		return agree(pub, key, rnd)
	case *rsa.PublicKey:
		wrapped, err := rsa.EncryptOAEPWithOptions(rnd, pub, key, &rsa.OAEPOptions{Hash: tr.digest, MGFHash: tr.mgf})
		if err != nil {
			return nil, fmt.Errorf("%w: key transport: %v", ErrEncrypt, err)
		}
		return rsaEncryptedKey(tr, wrapped), nil
	}
	return nil, fmt.Errorf("%w: recipient key %T", ErrUnsupportedAlgorithm, e.Certificate.PublicKey)
}

// EncryptAssertion encrypts the saml:Assertion a and returns the
// saml:EncryptedAssertion that should replace it (SAML core §2.3.4; eIDAS
// requires it, spec-digest §2.6). a is not changed.
func (e *Encrypter) EncryptAssertion(a *etree.Element) (*etree.Element, error) {
	if a == nil || a.Tag != "Assertion" || a.NamespaceURI() != saml.NSAssertion {
		return nil, fmt.Errorf("%w: not a saml:Assertion", ErrEncrypt)
	}
	ed, err := e.Encrypt(a)
	if err != nil {
		return nil, err
	}
	ea := etree.NewElement("saml:EncryptedAssertion")
	ea.CreateAttr("xmlns:saml", saml.NSAssertion)
	ea.AddChild(ed)
	return ea, nil
}

// encryptedData builds the xenc:EncryptedData element of XML Encryption 1.1
// §3.5 with the key inline in ds:KeyInfo/xenc:EncryptedKey (§3.5.1).
func encryptedData(alg dataAlgorithm, ek *etree.Element, ciphertext []byte) *etree.Element {
	ed := etree.NewElement("xenc:EncryptedData")
	ed.CreateAttr("xmlns:xenc", saml.NSXMLEnc)
	ed.CreateAttr("Type", TypeElement)
	ed.CreateElement("xenc:EncryptionMethod").CreateAttr("Algorithm", alg.uri)
	ki := ed.CreateElement("ds:KeyInfo")
	ki.CreateAttr("xmlns:ds", saml.NSDSig)
	ki.AddChild(ek)
	cipherData(ed, ciphertext)
	return ed
}

// rsaEncryptedKey builds an EncryptedKey with RSA-OAEP key transport (XML
// Encryption 1.1 §5.5.2).
func rsaEncryptedKey(tr transport, wrappedKey []byte) *etree.Element {
	ek := etree.NewElement("xenc:EncryptedKey")
	em := ek.CreateElement("xenc:EncryptionMethod")
	em.CreateAttr("Algorithm", tr.uri)
	em.CreateElement("ds:DigestMethod").CreateAttr("Algorithm", tr.digestURI)
	if tr.mgfURI != "" {
		mgf := em.CreateElement("xenc11:MGF")
		mgf.CreateAttr("xmlns:xenc11", NSXMLEnc11)
		mgf.CreateAttr("Algorithm", tr.mgfURI)
	}
	cipherData(ek, wrappedKey)
	return ek
}

func cipherData(parent *etree.Element, value []byte) {
	cv := parent.CreateElement("xenc:CipherData").CreateElement("xenc:CipherValue")
	cv.SetText(base64.StdEncoding.EncodeToString(value))
}
