package metadata

import (
	"crypto/x509"
	"errors"
	"fmt"
	"time"

	"github.com/beevik/etree"

	"github.com/eidkit/eidkit/saml"
)

// EntitiesDescriptor is a parsed md:EntitiesDescriptor: a federation
// aggregate (SAML metadata §2.3.1). Nested EntitiesDescriptors are
// flattened into Entities.
type EntitiesDescriptor struct {
	// ID is the root's ID attribute.
	ID string
	// Name is the root's Name attribute.
	Name string
	// ValidUntil is the root's validUntil; zero if absent.
	ValidUntil time.Time
	// CacheDuration is the root's cacheDuration; zero if absent.
	CacheDuration time.Duration
	// Entities are every EntityDescriptor, in document order. Each one's
	// ValidUntil is the earliest of its own and its enclosing groups', and
	// its SignedBy is the certificate that verified the nearest signature
	// covering it.
	Entities []*EntityDescriptor
	// Expired lists the entityIDs left out of Entities because their own
	// validUntil, a role descriptor's or a nested group's had passed. An
	// expired root is an error instead.
	Expired []string
	// SignedBy is the configured certificate that verified the root's
	// signature; nil if the root is unsigned.
	SignedBy *x509.Certificate
}

// Entity returns the entity with the given entityID, or nil.
func (d *EntitiesDescriptor) Entity(entityID string) *EntityDescriptor {
	for _, e := range d.Entities {
		if e.EntityID == entityID {
			return e
		}
	}
	return nil
}

// ParseEntities parses a metadata aggregate: an md:EntitiesDescriptor, or a
// single md:EntityDescriptor (returned as a one-entity aggregate).
//
// Every entity must be covered by a signature that verifies with
// opts.Verifier: on the root, on an enclosing nested EntitiesDescriptor, or
// on the entity itself; unless opts.AllowUnsigned is set. Any signature
// present that fails to verify fails the whole document. validUntil is
// inherited by children (the earliest applies); an expired root is refused
// with ErrExpired, an expired child entity or nested group is left out and
// listed in Expired. More than opts.MaxEntities entities, or the same
// entityID twice, is an error.
func ParseEntities(data []byte, opts ParseOptions) (*EntitiesDescriptor, error) {
	p, err := newParser(opts)
	if err != nil {
		return nil, err
	}
	root, err := p.parseDocument(data)
	if err != nil {
		return nil, err
	}
	switch {
	case is(root, saml.NSMetadata, "EntityDescriptor"):
		ed, err := p.rootEntity(root)
		if err != nil {
			return nil, err
		}
		return &EntitiesDescriptor{Entities: []*EntityDescriptor{ed}, SignedBy: ed.SignedBy}, nil
	case is(root, saml.NSMetadata, "EntitiesDescriptor"):
		return p.parseAggregate(root)
	}
	return nil, malformed("root element is {%s}%s, want md:EntitiesDescriptor or md:EntityDescriptor",
		root.NamespaceURI(), root.Tag)
}

func (p *parser) parseAggregate(root *etree.Element) (*EntitiesDescriptor, error) {
	signedBy, err := p.verify(root, nil)
	if err != nil && !isUnsigned(err) {
		return nil, err // an unsigned root is fine if every entity is signed
	}
	if err := p.checkValidity(root, "EntitiesDescriptor", group{}); err != nil {
		return nil, err
	}
	vu, cd, err := validity(root)
	if err != nil {
		return nil, err
	}
	out := &EntitiesDescriptor{ValidUntil: vu, CacheDuration: cd, SignedBy: signedBy}
	out.ID, _, _ = attr(root, "ID")
	out.Name, _, _ = attr(root, "Name")
	g := group{signedBy: signedBy, validUntil: vu, cacheDuration: cd}
	if err := p.walkGroup(root, g, out); err != nil {
		return nil, err
	}
	out.Expired = p.expired
	return out, nil
}

func isUnsigned(err error) bool { return errors.Is(err, ErrUnsigned) }

// walkGroup parses the children of an EntitiesDescriptor.
func (p *parser) walkGroup(el *etree.Element, g group, out *EntitiesDescriptor) error {
	for _, c := range el.ChildElements() {
		switch {
		case is(c, saml.NSDSig, "Signature"):
		case is(c, saml.NSMetadata, "Extensions"):
		case is(c, saml.NSMetadata, "EntityDescriptor"):
			if err := p.aggregateEntity(c, g, out); err != nil {
				return err
			}
		case is(c, saml.NSMetadata, "EntitiesDescriptor"):
			if err := p.nestedGroup(c, g, out); err != nil {
				return err
			}
		default:
			return malformed("%s: unexpected element {%s}%s", describe(el), c.NamespaceURI(), c.Tag)
		}
	}
	return nil
}

func (p *parser) nestedGroup(el *etree.Element, g group, out *EntitiesDescriptor) error {
	signedBy, err := p.verify(el, g.signedBy)
	if err != nil && !isUnsigned(err) {
		return err
	}
	vu, cd, err := validity(el)
	if err != nil {
		return err
	}
	if err := p.checkValidity(el, "EntitiesDescriptor", g); err != nil {
		if errors.Is(err, ErrExpired) {
			p.skipExpired(el)
			return nil
		}
		return err
	}
	ng := group{signedBy: signedBy, validUntil: g.validUntil, cacheDuration: g.cacheDuration}
	if !vu.IsZero() && (ng.validUntil.IsZero() || vu.Before(ng.validUntil)) {
		ng.validUntil = vu
	}
	if cd > 0 && (ng.cacheDuration == 0 || cd < ng.cacheDuration) {
		ng.cacheDuration = cd
	}
	return p.walkGroup(el, ng, out)
}

func (p *parser) aggregateEntity(el *etree.Element, g group, out *EntitiesDescriptor) error {
	p.entities++
	if p.entities > p.maxEntities {
		return fmt.Errorf("%w: more than %d EntityDescriptors", ErrTooManyEntities, p.maxEntities)
	}
	signedBy, err := p.verify(el, g.signedBy)
	if err != nil {
		return err
	}
	if err := p.checkValidity(el, "EntityDescriptor", g); err != nil {
		if errors.Is(err, ErrExpired) {
			p.skipExpired(el)
			return nil
		}
		return err
	}
	g.signedBy = signedBy
	ed, err := p.parseEntity(el, g)
	if err != nil {
		return err
	}
	if ed.Valid(p.now) != nil { // a role descriptor's own validUntil passed
		p.expired = append(p.expired, ed.EntityID)
		return nil
	}
	if p.seen[ed.EntityID] {
		return malformed("entityID %q appears twice in the aggregate", ed.EntityID)
	}
	p.seen[ed.EntityID] = true
	out.Entities = append(out.Entities, ed)
	return nil
}

// skipExpired records the entityIDs under an expired element.
func (p *parser) skipExpired(el *etree.Element) {
	walk(el, func(e *etree.Element) {
		if is(e, saml.NSMetadata, "EntityDescriptor") {
			id, _, _ := attr(e, "entityID")
			p.expired = append(p.expired, id)
		}
	})
}
