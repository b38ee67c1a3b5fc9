package metadata

import (
	"crypto/x509"
	"errors"
	"fmt"
	"time"

	"github.com/beevik/etree"

	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/dsig"
)

// DefaultMaxEntities is the default cap on the entities of one
// EntitiesDescriptor (ParseOptions.MaxEntities).
const DefaultMaxEntities = 1000

// MaxEntityIDLength is the longest entityID accepted (SAML metadata §2.3.2
// limits entityID to 1024 characters).
const MaxEntityIDLength = 1024

// ParseOptions controls Parse and ParseEntities. The zero value is not
// usable: it has neither a Verifier nor AllowUnsigned, and Validate says so.
type ParseOptions struct {
	// Verifier checks the signature on the root element (and, in an
	// aggregate, on nested EntitiesDescriptor and EntityDescriptor elements)
	// against the certificates configured in it: the partner's or
	// federation operator's metadata signing certificates, exchanged
	// out of band (requirement N23). Keys inside the metadata are never
	// used to verify it. Required unless AllowUnsigned is set.
	Verifier *dsig.Verifier
	// AllowUnsigned accepts metadata with no signature. RISK: anyone who can
	// alter the document in transit or at rest can then substitute their own
	// keys and endpoints. Set it only for metadata fetched over a channel
	// that authenticates the publisher (e.g. HTTPS to a pinned host) or read
	// from a local file the operator vouches for. A signature that is
	// present is still verified when Verifier is set.
	AllowUnsigned bool
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Limits caps the XML parser; zero fields take saml's defaults (1 MiB,
	// 10,000 elements). Federation aggregates need larger limits.
	Limits saml.Limits
	// RequireValidUntil refuses metadata without validUntil (on the entity
	// or an enclosing EntitiesDescriptor) with ErrValidity. By default
	// metadata without validUntil is accepted, as SAML metadata §2.2.1
	// allows; NIAS and eIDAS metadata always carry it.
	RequireValidUntil bool
	// MaxValidity, when positive, refuses a validUntil further than this
	// ahead of Now with ErrValidity: long-lived metadata defeats key
	// revocation by expiry. Zero means no limit; negative is invalid.
	MaxValidity time.Duration
	// MaxEntities caps the EntityDescriptors in an aggregate; zero means
	// DefaultMaxEntities, negative is invalid.
	MaxEntities int
}

// Validate reports every problem with the options, joined.
func (o ParseOptions) Validate() error {
	var errs []error
	if o.Verifier == nil && !o.AllowUnsigned {
		errs = append(errs, fmt.Errorf("%w: ParseOptions: Verifier is nil and AllowUnsigned is not set", ErrInvalidConfig))
	}
	if o.Verifier != nil && len(o.Verifier.Certificates) == 0 {
		errs = append(errs, fmt.Errorf("%w: ParseOptions.Verifier: no trusted certificates", ErrInvalidConfig))
	}
	if o.MaxValidity < 0 {
		errs = append(errs, fmt.Errorf("%w: ParseOptions.MaxValidity: negative", ErrInvalidConfig))
	}
	if o.MaxEntities < 0 {
		errs = append(errs, fmt.Errorf("%w: ParseOptions.MaxEntities: negative", ErrInvalidConfig))
	}
	if err := o.Limits.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("%w: ParseOptions.Limits: %w", ErrInvalidConfig, err))
	}
	return errors.Join(errs...)
}

// parser carries the resolved options of one Parse or ParseEntities call.
type parser struct {
	opts        ParseOptions
	now         time.Time
	maxEntities int
	entities    int
	seen        map[string]bool
	expired     []string
}

func newParser(opts ParseOptions) (*parser, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	p := &parser{opts: opts, maxEntities: opts.MaxEntities, seen: map[string]bool{}}
	if p.maxEntities == 0 {
		p.maxEntities = DefaultMaxEntities
	}
	p.now = time.Now()
	if opts.Now != nil {
		p.now = opts.Now()
	}
	return p, nil
}

// parseDocument parses data safely and returns its root.
func (p *parser) parseDocument(data []byte) (*etree.Element, error) {
	doc, err := saml.ParseXML(data, p.opts.Limits)
	switch {
	case errors.Is(err, saml.ErrLimit):
		return nil, fmt.Errorf("%w: %w", ErrTooLarge, err)
	case err != nil:
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	return doc.Root(), nil
}

// Parse parses one md:EntityDescriptor document, verifies its signature with
// opts.Verifier (unsigned metadata is refused unless opts.AllowUnsigned),
// and refuses it with ErrExpired once validUntil has passed.
//
// Errors wrap ErrMalformed (with saml's parser error, e.g. saml.ErrDoctype),
// ErrTooLarge (with saml.ErrLimit), ErrUnsigned, ErrBadSignature (with the dsig error),
// ErrExpired, ErrValidity, ErrBadEndpoint (*EndpointError),
// ErrBadCertificate (*CertificateError) or ErrInvalidConfig.
func Parse(data []byte, opts ParseOptions) (*EntityDescriptor, error) {
	p, err := newParser(opts)
	if err != nil {
		return nil, err
	}
	root, err := p.parseDocument(data)
	if err != nil {
		return nil, err
	}
	if !is(root, saml.NSMetadata, "EntityDescriptor") {
		return nil, malformed("root element is {%s}%s, want md:EntityDescriptor", root.NamespaceURI(), root.Tag)
	}
	return p.rootEntity(root)
}

// rootEntity verifies, checks the validity of and parses an
// md:EntityDescriptor that is the document's root.
func (p *parser) rootEntity(root *etree.Element) (*EntityDescriptor, error) {
	signedBy, err := p.verify(root, nil)
	if err != nil {
		return nil, err
	}
	if err := p.checkValidity(root, "EntityDescriptor", group{}); err != nil {
		return nil, err
	}
	ed, err := p.parseEntity(root, group{signedBy: signedBy})
	if err != nil {
		return nil, err
	}
	if err := ed.Valid(p.now); err != nil { // role descriptors' own validUntil
		return nil, err
	}
	return ed, nil
}

// group is what an enclosing EntitiesDescriptor passes down.
type group struct {
	signedBy      *x509.Certificate
	validUntil    time.Time
	cacheDuration time.Duration
}

// verify checks the signature that is a direct child of el, if any. It
// returns the certificate that verified it, or inherited when el carries no
// signature. It fails closed: a signature present but not verifiable is an
// error even when an ancestor is signed.
func (p *parser) verify(el *etree.Element, inherited *x509.Certificate) (*x509.Certificate, error) {
	if !hasSignatureChild(el) {
		if inherited == nil && !p.opts.AllowUnsigned {
			return nil, fmt.Errorf("%w: %s has no ds:Signature", ErrUnsigned, describe(el))
		}
		return inherited, nil
	}
	if p.opts.Verifier == nil {
		// AllowUnsigned without a Verifier: the signature cannot be checked
		// and the metadata is treated as unsigned.
		return inherited, nil
	}
	cert, err := p.opts.Verifier.Verify(el)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrBadSignature, describe(el), err)
	}
	return cert, nil
}

// hasSignatureChild reports whether el has a ds:Signature child element.
func hasSignatureChild(el *etree.Element) bool {
	for _, c := range el.ChildElements() {
		if is(c, saml.NSDSig, "Signature") {
			return true
		}
	}
	return false
}

// describe names el for error messages.
func describe(el *etree.Element) string {
	if id, ok, _ := attr(el, "entityID"); ok {
		return fmt.Sprintf("%s[entityID=%q]", el.Tag, id)
	}
	if name, ok, _ := attr(el, "Name"); ok {
		return fmt.Sprintf("%s[Name=%q]", el.Tag, name)
	}
	return el.Tag
}

// validity reads validUntil and cacheDuration of el.
func validity(el *etree.Element) (time.Time, time.Duration, error) {
	var vu time.Time
	var cd time.Duration
	if v, ok, err := attr(el, "validUntil"); err != nil {
		return vu, cd, err
	} else if ok {
		if vu, err = parseDateTime(v); err != nil {
			return vu, cd, malformed("%s/@validUntil: %q is not an xs:dateTime", describe(el), v)
		}
	}
	if v, ok, err := attr(el, "cacheDuration"); err != nil {
		return vu, cd, err
	} else if ok {
		if cd, err = parseDuration(v); err != nil {
			return vu, cd, malformed("%s/@cacheDuration: %q is not an xs:duration", describe(el), v)
		}
	}
	return vu, cd, nil
}

// checkValidity applies the time rules of ParseOptions to el, given what
// the enclosing groups impose.
func (p *parser) checkValidity(el *etree.Element, what string, g group) error {
	vu, _, err := validity(el)
	if err != nil {
		return err
	}
	if err := checkNotExpired(vu, p.now, describe(el)); err != nil {
		return err
	}
	if p.opts.MaxValidity > 0 && !vu.IsZero() && vu.After(p.now.Add(p.opts.MaxValidity)) {
		return fmt.Errorf("%w: %s valid until %s, more than %s ahead", ErrValidity, describe(el),
			vu.Format(time.RFC3339), p.opts.MaxValidity)
	}
	if p.opts.RequireValidUntil && vu.IsZero() && g.validUntil.IsZero() && what == "EntityDescriptor" {
		return fmt.Errorf("%w: %s has no validUntil", ErrValidity, describe(el))
	}
	return nil
}

// inherit folds the group's validity into an entity's: the earlier
// validUntil and the shorter cacheDuration win.
func inherit(ed *EntityDescriptor, g group) {
	if !g.validUntil.IsZero() && (ed.ValidUntil.IsZero() || g.validUntil.Before(ed.ValidUntil)) {
		ed.ValidUntil = g.validUntil
	}
	if g.cacheDuration > 0 && (ed.CacheDuration == 0 || g.cacheDuration < ed.CacheDuration) {
		ed.CacheDuration = g.cacheDuration
	}
}
