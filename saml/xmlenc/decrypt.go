package xmlenc

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"errors"
	"fmt"
	"log/slog"

	"github.com/beevik/etree"

	"github.com/eidkit/eidkit/saml"
)

// Defaults for the zero-valued limits of a [Decrypter].
const (
	// DefaultMaxCipherBytes caps the decoded CipherValue of an EncryptedData:
	// 1 MiB, the default size limit of a whole SAML message in package saml.
	DefaultMaxCipherBytes = 1 << 20
	// DefaultMaxEncryptedKeys caps how many EncryptedKey elements one
	// encrypted element may carry; each is tried with every configured key.
	DefaultMaxEncryptedKeys = 4
)

// Decrypter decrypts encrypted elements addressed to this party: an SP or the
// broker reading an eIDAS node's saml:EncryptedAssertion (spec-digest §2.6),
// or an EncryptedID in a LogoutRequest. The zero value of every field but
// Keys is strict. A Decrypter is plain data; it is safe for concurrent use as
// long as its fields are not changed.
//
// Supported: AES-128/192/256-GCM data encryption; RSA-OAEP key transport in
// both the XML Encryption 1.1 form (RSAOAEP with any SHA-1/SHA-2
// DigestMethod and MGF1 hash) and the 1.0 form (RSAOAEPMGF1P); ECDH-ES key
// agreement on P-256/384/521 with ConcatKDF (SHA-256/384/512) and
// kw-aes128/192/256 key wrap; EncryptedKey
// inline in ds:KeyInfo or as a sibling of the EncryptedData, referenced by
// ds:RetrievalMethod or not. Refused: RSA PKCS#1 v1.5 key transport, CBC
// (unless AllowCBC), CipherReference, and any element whose plaintext is not
// of the type its container announces (saml:Assertion inside
// saml:EncryptedAssertion, saml:NameID or saml:BaseID inside saml:EncryptedID,
// saml:Attribute inside saml:EncryptedAttribute).
type Decrypter struct {
	// Keys are the RSA private keys of this party's encryption
	// certificates, for RSA-OAEP key transport. Each is tried in turn, so a
	// new key can be published in metadata before the old one is retired
	// (key rollover).
	Keys []crypto.Decrypter

	// ECKeys are the EC private keys (P-256, P-384, P-521) of this party's
	// encryption certificates, for ECDH-ES key agreement (spec-digest §2.6).
	// Each key on the curve the sender used is tried in turn.
	ECKeys []*ecdsa.PrivateKey

	// AllowCBC accepts AES-CBC data encryption (AES128CBC, AES192CBC,
	// AES256CBC) from peers that cannot send GCM. Risk: CBC has no integrity
	// protection, so ciphertext can be altered undetected, and any
	// observable difference in how a broken plaintext is handled (timing,
	// logs, later errors) is a padding or format oracle that decrypts the
	// assertion (Jager and Somorovsky, "How to break XML Encryption", 2011).
	// Leave it off unless a named peer requires it.
	AllowCBC bool

	// Limits bound the parse of the decrypted plaintext; zero fields take
	// package saml's defaults.
	Limits saml.Limits

	// MaxCipherBytes caps the decoded size of the EncryptedData CipherValue.
	// Zero means DefaultMaxCipherBytes.
	MaxCipherBytes int

	// MaxEncryptedKeys caps the number of EncryptedKey elements considered,
	// and of ds:RetrievalMethods pointing at them; an element with more is
	// refused. Zero means DefaultMaxEncryptedKeys.
	MaxEncryptedKeys int

	// Logger, if not nil, receives at debug level the reason of each
	// decryption failure, which the returned ErrDecrypt deliberately lacks.
	// Do not log it where the peer can read it.
	Logger *slog.Logger
}

// Validate reports every problem of d's fields at once, joined; each wraps
// ErrInvalidConfig.
func (d *Decrypter) Validate() error {
	var errs []error
	if len(d.Keys) == 0 && len(d.ECKeys) == 0 {
		errs = append(errs, configError("Decrypter has neither Keys nor ECKeys"))
	}
	for i, k := range d.ECKeys {
		if k == nil {
			errs = append(errs, configError("Decrypter.ECKeys[%d] is nil", i))
		} else if _, err := k.ECDH(); err != nil {
			errs = append(errs, configError("Decrypter.ECKeys[%d]: %v", i, err))
		}
	}
	for i, k := range d.Keys {
		if k == nil {
			errs = append(errs, configError("Decrypter.Keys[%d] is nil", i))
			continue
		}
		if _, ok := k.Public().(*rsa.PublicKey); !ok {
			errs = append(errs, configError("Decrypter.Keys[%d] is a %T: only RSA keys are supported", i, k.Public()))
		}
	}
	if d.MaxCipherBytes < 0 {
		errs = append(errs, configError("Decrypter.MaxCipherBytes is negative"))
	}
	if d.MaxEncryptedKeys < 0 {
		errs = append(errs, configError("Decrypter.MaxEncryptedKeys is negative"))
	}
	if err := d.Limits.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("%w: Decrypter.Limits: %w", ErrInvalidConfig, err))
	}
	return errors.Join(errs...)
}

// target is an encrypted element taken apart.
type target struct {
	data      *etree.Element // xenc:EncryptedData
	container *etree.Element // saml:Encrypted* around data, or nil
	want      []string       // local names (SAML assertion namespace) the plaintext may have; nil = any
}

// contents names what each saml:Encrypted* element may contain (SAML core
// §2.2.4, §2.3.4, §2.7.3.2).
func contents(container string) ([]string, bool) {
	switch container {
	case "EncryptedAssertion":
		return []string{"Assertion"}, true
	case "EncryptedID":
		return []string{"NameID", "BaseID"}, true
	case "EncryptedAttribute":
		return []string{"Attribute"}, true
	}
	return nil, false
}

// Decrypt decrypts enc, which is a saml:EncryptedAssertion, saml:EncryptedID,
// saml:EncryptedAttribute or a bare xenc:EncryptedData, and returns the
// decrypted element parsed with saml.ParseXML under d.Limits, detached from
// any document and declaring every namespace it was in scope of. enc is not
// changed.
//
// An unknown or refused algorithm returns an error matching
// ErrUnsupportedAlgorithm before any cryptography is done. Every other
// failure returns exactly ErrDecrypt.
func (d *Decrypter) Decrypt(enc *etree.Element) (*etree.Element, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	t, err := locate(enc)
	if err != nil {
		return nil, d.fail("structure", err)
	}
	if typ := t.data.SelectAttrValue("Type", TypeElement); typ != TypeElement {
		return nil, d.fail("structure", fmt.Errorf("EncryptedData Type %q is not Element", typ))
	}
	em, err := one(t.data, saml.NSXMLEnc, "EncryptionMethod")
	if err != nil {
		return nil, d.fail("structure", err)
	}
	alg, err := lookupData(em.SelectAttrValue("Algorithm", ""), d.AllowCBC)
	if err != nil {
		return nil, d.refuse(err)
	}
	keys, err := d.encryptedKeys(t)
	if err != nil {
		return nil, err
	}
	ciphertext, err := cipherValue(t.data, d.maxCipherBytes())
	if err != nil {
		return nil, d.fail("cipher value", err)
	}
	for _, ek := range keys {
		for _, key := range ek.unwrap(d, alg.keySize) {
			plaintext, err := open(alg, key, ciphertext)
			if err != nil {
				continue
			}
			el, err := d.parsePlaintext(plaintext, t)
			if err != nil {
				return nil, d.fail("plaintext", err)
			}
			return el, nil
		}
	}
	return nil, d.fail("crypto", errors.New("no key opened the cipher value"))
}

// locate finds the EncryptedData of enc and the container around it.
func locate(enc *etree.Element) (target, error) {
	if enc == nil {
		return target{}, errors.New("nil element")
	}
	ns := enc.NamespaceURI()
	if ns == saml.NSXMLEnc && enc.Tag == "EncryptedData" {
		t := target{data: enc}
		if p := enc.Parent(); p != nil && p.NamespaceURI() == saml.NSAssertion {
			if want, ok := contents(p.Tag); ok {
				t.container, t.want = p, want
			}
		}
		return t, nil
	}
	want, ok := contents(enc.Tag)
	if ns != saml.NSAssertion || !ok {
		return target{}, fmt.Errorf("{%s}%s is not an encrypted element", ns, enc.Tag)
	}
	// EncryptedElementType: one EncryptedData, then EncryptedKey*.
	for _, c := range enc.ChildElements() {
		if c.NamespaceURI() != saml.NSXMLEnc || (c.Tag != "EncryptedData" && c.Tag != "EncryptedKey") {
			return target{}, fmt.Errorf("unexpected child %s in %s", c.FullTag(), enc.Tag)
		}
	}
	data, err := one(enc, saml.NSXMLEnc, "EncryptedData")
	if err != nil {
		return target{}, err
	}
	return target{data: data, container: enc, want: want}, nil
}

// encryptedKeys parses the usable EncryptedKeys of t. If none is usable and
// at least one names an unsupported algorithm, that error is returned.
func (d *Decrypter) encryptedKeys(t target) ([]encryptedKey, error) {
	limit := d.maxEncryptedKeys()
	els, err := collectKeys(t.data, t.container, limit)
	if err != nil {
		return nil, d.fail("key collection", err)
	}
	if len(els) > limit {
		return nil, d.fail("limit", fmt.Errorf("%d EncryptedKey elements, limit %d", len(els), limit))
	}
	var keys []encryptedKey
	var refused error
	for _, el := range els {
		ek, err := parseKey(el)
		var ae *AlgorithmError
		switch {
		case errors.As(err, &ae):
			refused = err
		case err != nil:
			d.debug("EncryptedKey skipped", err)
		default:
			keys = append(keys, ek)
		}
	}
	if len(keys) == 0 {
		if refused != nil {
			return nil, d.refuse(refused)
		}
		return nil, d.fail("structure", errors.New("no usable EncryptedKey"))
	}
	return keys, nil
}

// parsePlaintext parses the decrypted bytes in the namespace context of the
// EncryptedData's parent, and checks the element is what the container
// announced.
func (d *Decrypter) parsePlaintext(plaintext []byte, t target) (*etree.Element, error) {
	doc, err := saml.ParseXML(wrap(plaintext, inScope(t.data.Parent())), d.Limits)
	if err != nil {
		return nil, err
	}
	el, err := unwrap(doc.Root())
	if err != nil {
		return nil, err
	}
	if t.want == nil {
		return el, nil
	}
	if el.NamespaceURI() == saml.NSAssertion {
		for _, w := range t.want {
			if el.Tag == w {
				return el, nil
			}
		}
	}
	return nil, fmt.Errorf("plaintext {%s}%s not allowed in %s", el.NamespaceURI(), el.Tag, t.container.Tag)
}

func (d *Decrypter) maxCipherBytes() int {
	if d.MaxCipherBytes == 0 {
		return DefaultMaxCipherBytes
	}
	return d.MaxCipherBytes
}

func (d *Decrypter) maxEncryptedKeys() int {
	if d.MaxEncryptedKeys == 0 {
		return DefaultMaxEncryptedKeys
	}
	return d.MaxEncryptedKeys
}

// fail logs the reason and returns the uniform ErrDecrypt.
func (d *Decrypter) fail(stage string, err error) error {
	d.debug("decryption failed at "+stage, err)
	return ErrDecrypt
}

// refuse logs and returns an unsupported-algorithm error unchanged.
func (d *Decrypter) refuse(err error) error {
	d.debug("algorithm refused", err)
	return err
}

func (d *Decrypter) debug(msg string, err error) {
	if d.Logger != nil {
		d.Logger.LogAttrs(context.Background(), slog.LevelDebug, "xmlenc: "+msg, slog.String("error", err.Error()))
	}
}
