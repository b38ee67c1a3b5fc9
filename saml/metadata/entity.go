package metadata

import (
	"fmt"
	"strings"

	"github.com/beevik/etree"

	"github.com/eidkit/eidkit/saml"
)

// otherRoles are role descriptors kept raw: valid metadata this package
// does not model.
var otherRoles = map[string]bool{
	"RoleDescriptor": true, "AuthnAuthorityDescriptor": true, "AttributeAuthorityDescriptor": true,
	"PDPDescriptor": true, "AffiliationDescriptor": true,
}

// parseEntity turns a verified md:EntityDescriptor into an EntityDescriptor.
func (p *parser) parseEntity(el *etree.Element, g group) (*EntityDescriptor, error) {
	id, err := requiredAttr(el, "entityID")
	if err != nil {
		return nil, err
	}
	if len(id) > MaxEntityIDLength {
		return nil, malformed("entityID longer than %d characters", MaxEntityIDLength)
	}
	ed := &EntityDescriptor{EntityID: id, SignedBy: g.signedBy, Raw: detach(el)}
	if ed.ID, _, err = attr(el, "ID"); err != nil {
		return nil, err
	}
	if ed.ValidUntil, ed.CacheDuration, err = validity(el); err != nil {
		return nil, err
	}
	inherit(ed, g)
	path := fmt.Sprintf("EntityDescriptor[entityID=%q]", id)
	seenExt := false
	for _, c := range el.ChildElements() {
		if err := p.entityChild(ed, c, path, &seenExt); err != nil {
			return nil, err
		}
	}
	if ed.SP == nil && ed.IDP == nil && len(ed.OtherRoles) == 0 {
		return nil, malformed("%s: no role descriptor", path)
	}
	return ed, nil
}

func (p *parser) entityChild(ed *EntityDescriptor, c *etree.Element, path string, seenExt *bool) error {
	ns := c.NamespaceURI()
	if ns == saml.NSDSig && c.Tag == "Signature" {
		return nil
	}
	if ns != saml.NSMetadata {
		return malformed("%s: unexpected element {%s}%s", path, ns, c.Tag)
	}
	var err error
	switch c.Tag {
	case "Extensions":
		if *seenExt {
			return malformed("%s: more than one Extensions", path)
		}
		*seenExt = true
		ed.Extensions, err = parseExtensions(c, path+"/Extensions")
	case "SPSSODescriptor":
		err = p.addSP(ed, c, path)
	case "IDPSSODescriptor":
		err = p.addIDP(ed, c, path)
	case "Organization":
		if ed.Organization != nil {
			return malformed("%s: more than one Organization", path)
		}
		ed.Organization, err = parseOrganization(c)
	case "ContactPerson":
		var cp ContactPerson
		cp, err = parseContact(c, path)
		ed.ContactPersons = append(ed.ContactPersons, cp)
	case "AdditionalMetadataLocation":
	default:
		if !otherRoles[c.Tag] {
			return malformed("%s: unexpected element md:%s", path, c.Tag)
		}
		ed.OtherRoles = append(ed.OtherRoles, detach(c))
	}
	return err
}

// supportsSAML2 reports whether a role's protocolSupportEnumeration lists
// the SAML 2.0 protocol.
func supportsSAML2(el *etree.Element) (bool, []string, error) {
	v, err := requiredAttr(el, "protocolSupportEnumeration")
	if err != nil {
		return false, nil, err
	}
	protos := strings.Fields(v)
	for _, pr := range protos {
		if pr == saml.NSProtocol {
			return true, protos, nil
		}
	}
	return false, protos, nil
}

func (p *parser) addSP(ed *EntityDescriptor, c *etree.Element, path string) error {
	ok, _, err := supportsSAML2(c)
	if err != nil || !ok {
		ed.OtherRoles = append(ed.OtherRoles, detach(c))
		return err
	}
	if ed.SP != nil {
		return malformed("%s: more than one SAML 2.0 SPSSODescriptor", path)
	}
	ed.SP, err = parseSP(c, ed.EntityID, path+"/SPSSODescriptor")
	return err
}

func (p *parser) addIDP(ed *EntityDescriptor, c *etree.Element, path string) error {
	ok, _, err := supportsSAML2(c)
	if err != nil || !ok {
		ed.OtherRoles = append(ed.OtherRoles, detach(c))
		return err
	}
	if ed.IDP != nil {
		return malformed("%s: more than one SAML 2.0 IDPSSODescriptor", path)
	}
	ed.IDP, err = parseIDP(c, ed.EntityID, path+"/IDPSSODescriptor")
	return err
}

var contactTypes = map[string]bool{"technical": true, "support": true, "administrative": true, "billing": true, "other": true}

func parseContact(el *etree.Element, path string) (ContactPerson, error) {
	var cp ContactPerson
	t, err := requiredAttr(el, "contactType")
	if err != nil {
		return cp, err
	}
	if !contactTypes[t] {
		return cp, malformed("%s/ContactPerson: bad contactType %q", path, t)
	}
	cp.Type = t
	for _, c := range el.ChildElements() {
		if c.NamespaceURI() != saml.NSMetadata {
			continue // md:Extensions content and foreign elements are ignored
		}
		txt, err := text(c)
		if err != nil {
			return cp, err
		}
		switch c.Tag {
		case "Company":
			cp.Company = txt
		case "GivenName":
			cp.GivenName = txt
		case "SurName":
			cp.SurName = txt
		case "EmailAddress":
			cp.EmailAddresses = append(cp.EmailAddresses, txt)
		case "TelephoneNumber":
			cp.TelephoneNumbers = append(cp.TelephoneNumbers, txt)
		}
	}
	return cp, nil
}

func parseOrganization(el *etree.Element) (*Organization, error) {
	org := &Organization{}
	for _, c := range el.ChildElements() {
		if c.NamespaceURI() != saml.NSMetadata {
			continue
		}
		var dst *[]Localized
		switch c.Tag {
		case "OrganizationName":
			dst = &org.Names
		case "OrganizationDisplayName":
			dst = &org.DisplayNames
		case "OrganizationURL":
			dst = &org.URLs
		default:
			continue
		}
		txt, err := text(c)
		if err != nil {
			return nil, err
		}
		*dst = append(*dst, Localized{Lang: xmlLang(c), Value: txt})
	}
	return org, nil
}

// text is saml.Text, trimmed, with errors mapped to ErrMalformed. Leading
// and trailing whitespace is never significant in metadata values.
func text(el *etree.Element) (string, error) {
	t, err := saml.Text(el)
	if err != nil {
		return "", fmt.Errorf("%w: %s: %w", ErrMalformed, el.Tag, err)
	}
	return strings.TrimSpace(t), nil
}
