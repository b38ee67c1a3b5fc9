package xmlenc

import (
	"crypto"
	"crypto/rsa"
	"errors"
	"fmt"
	"strings"

	"github.com/beevik/etree"

	"github.com/eidkit/eidkit/internal/xmlutil"
	"github.com/eidkit/eidkit/saml"
)

// Caps on the key transport part of an encrypted element.
const (
	// maxWrappedKey is the largest RSA ciphertext accepted: 8192-bit keys.
	maxWrappedKey = 1024
	// maxOAEPLabel caps the OAEPparams label.
	maxOAEPLabel = 1024
)

// encryptedKey is a parsed xenc:EncryptedKey: RSA-OAEP key transport (oaep
// set) or ECDH-ES key agreement with AES key wrap (agree set).
type encryptedKey struct {
	wrapped []byte
	oaep    *rsa.OAEPOptions
	agree   *agreement
}

// unwrap recovers the session key with each configured key in turn and
// returns every result of the wanted size (normally at most one). Failures
// are not told apart: the caller only goes on to the next candidate.
func (ek encryptedKey) unwrap(d *Decrypter, size int) [][]byte {
	if ek.agree != nil {
		return ek.agree.unwrap(d.ECKeys, ek.wrapped, size)
	}
	var out [][]byte
	for _, k := range d.Keys {
		opts := *ek.oaep
		key, err := k.Decrypt(nil, ek.wrapped, &opts)
		if err == nil && len(key) == size {
			out = append(out, key)
		}
	}
	return out
}

// collectKeys finds the EncryptedKey elements for data: those inline in its
// ds:KeyInfo (XML Encryption §3.5.1), those a ds:RetrievalMethod there points
// to, and the siblings of data inside its saml:Encrypted* container (the
// OpenSAML/Shibboleth "peer" placement, SAML core §2.2.4). Each appears once,
// in that order. More than limit of any kind is refused before any lookup, so
// that resolving RetrievalMethods against siblings stays cheap.
func collectKeys(data, container *etree.Element, limit int) ([]*etree.Element, error) {
	var out []*etree.Element
	seen := map[*etree.Element]bool{}
	add := func(e *etree.Element) {
		if !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	infos := children(data, saml.NSDSig, "KeyInfo")
	if len(infos) > 1 {
		return nil, errors.New("more than one KeyInfo")
	}
	var siblings, inline, methods []*etree.Element
	if container != nil {
		siblings = children(container, saml.NSXMLEnc, "EncryptedKey")
	}
	if len(infos) == 1 {
		inline = children(infos[0], saml.NSXMLEnc, "EncryptedKey")
		methods = children(infos[0], saml.NSDSig, "RetrievalMethod")
	}
	if n := max(len(siblings), len(inline)); n > limit {
		return nil, fmt.Errorf("%d EncryptedKey elements, limit %d", n, limit)
	}
	if len(methods) > limit {
		return nil, fmt.Errorf("%d RetrievalMethods, limit %d", len(methods), limit)
	}
	for _, e := range inline {
		add(e)
	}
	for _, rm := range methods {
		if e := retrieve(rm, siblings); e != nil {
			add(e)
		}
	}
	for _, e := range siblings {
		add(e)
	}
	return out, nil
}

// retrieve resolves a RetrievalMethod of Type EncryptedKey whose URI is a
// same-document reference "#id" among candidates. Other references (remote,
// XPointer, other types) are not followed.
func retrieve(rm *etree.Element, candidates []*etree.Element) *etree.Element {
	if t := rm.SelectAttrValue("Type", TypeEncryptedKey); t != TypeEncryptedKey {
		return nil
	}
	id, ok := strings.CutPrefix(rm.SelectAttrValue("URI", ""), "#")
	if !ok || id == "" {
		return nil
	}
	for _, c := range candidates {
		if c.SelectAttrValue("Id", "") == id {
			return c
		}
	}
	return nil
}

// parseKey reads an EncryptedKey: RSA-OAEP key transport, or a kw-aes key
// wrap under an ECDH-ES AgreementMethod. An unknown or refused method is an
// *AlgorithmError; anything else wrong is a plain error.
func parseKey(ek *etree.Element) (encryptedKey, error) {
	em, err := one(ek, saml.NSXMLEnc, "EncryptionMethod")
	if err != nil {
		return encryptedKey{}, err
	}
	alg := em.SelectAttrValue("Algorithm", "")
	if _, ok := kwSize(alg); ok {
		ag, err := parseAgreement(ek, alg)
		if err != nil {
			return encryptedKey{}, err
		}
		wrapped, err := cipherValue(ek, maxWrapped)
		return encryptedKey{wrapped: wrapped, agree: ag}, err
	}
	opts, err := oaepOptions(em)
	if err != nil {
		return encryptedKey{}, err
	}
	wrapped, err := cipherValue(ek, maxWrappedKey)
	return encryptedKey{wrapped: wrapped, oaep: &opts}, err
}

// oaepOptions reads the RSA-OAEP parameters of an EncryptionMethod (XML
// Encryption 1.1 §5.5.2): DigestMethod (default SHA-1), MGF (only for
// RSAOAEP; default MGF1-SHA1; RSAOAEPMGF1P always uses MGF1-SHA1) and
// OAEPparams (the label, default empty).
func oaepOptions(em *etree.Element) (rsa.OAEPOptions, error) {
	alg := em.SelectAttrValue("Algorithm", "")
	if alg != RSAOAEP && alg != RSAOAEPMGF1P {
		return rsa.OAEPOptions{}, unsupported("EncryptionMethod", alg)
	}
	opts := rsa.OAEPOptions{Hash: crypto.SHA1, MGFHash: crypto.SHA1}
	if dm, err := optional(em, saml.NSDSig, "DigestMethod"); err != nil {
		return opts, err
	} else if dm != nil {
		uri := dm.SelectAttrValue("Algorithm", "")
		h, ok := digestHash(uri)
		if !ok {
			return opts, unsupported("DigestMethod", uri)
		}
		opts.Hash = h
	}
	if alg == RSAOAEP {
		if mgf, err := optional(em, NSXMLEnc11, "MGF"); err != nil {
			return opts, err
		} else if mgf != nil {
			uri := mgf.SelectAttrValue("Algorithm", "")
			h, ok := mgfHash(uri)
			if !ok {
				return opts, unsupported("MGF", uri)
			}
			opts.MGFHash = h
		}
	}
	if p, err := optional(em, saml.NSXMLEnc, "OAEPparams"); err != nil {
		return opts, err
	} else if p != nil {
		label, err := decodeBase64(p, maxOAEPLabel)
		if err != nil {
			return opts, err
		}
		opts.Label = label
	}
	return opts, nil
}

// cipherValue decodes parent/CipherData/CipherValue, refusing more than max
// decoded bytes. CipherReference is never followed.
func cipherValue(parent *etree.Element, max int) ([]byte, error) {
	cd, err := one(parent, saml.NSXMLEnc, "CipherData")
	if err != nil {
		return nil, err
	}
	cv, err := one(cd, saml.NSXMLEnc, "CipherValue")
	if err != nil {
		return nil, err
	}
	return decodeBase64(cv, max)
}

// decodeBase64 decodes the whole text of el as base64 (XML whitespace
// allowed anywhere), refusing input that would decode to more than max bytes.
func decodeBase64(el *etree.Element, max int) ([]byte, error) {
	text, err := saml.Text(el)
	if err != nil {
		return nil, err
	}
	b, err := xmlutil.DecodeBase64(text, int64(max))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", el.Tag, err)
	}
	return b, nil
}

// children returns the child elements of el named {ns}local.
func children(el *etree.Element, ns, local string) []*etree.Element {
	var out []*etree.Element
	for _, c := range el.ChildElements() {
		if c.Tag == local && c.NamespaceURI() == ns {
			out = append(out, c)
		}
	}
	return out
}

// one returns the single child {ns}local of el, or an error if there is
// none or more than one.
func one(el *etree.Element, ns, local string) (*etree.Element, error) {
	c, err := optional(el, ns, local)
	if err == nil && c == nil {
		err = fmt.Errorf("%s has no %s", el.Tag, local)
	}
	return c, err
}

// optional returns the child {ns}local of el, nil if absent, or an error if
// there is more than one.
func optional(el *etree.Element, ns, local string) (*etree.Element, error) {
	cs := children(el, ns, local)
	if len(cs) > 1 {
		return nil, fmt.Errorf("%s has %d %s children", el.Tag, len(cs), local)
	}
	if len(cs) == 0 {
		return nil, nil
	}
	return cs[0], nil
}
