package metadata

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/beevik/etree"

	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/dsig"
)

// Prefixes used in generated metadata.
var prefixes = map[string]string{
	"md": saml.NSMetadata, "ds": saml.NSDSig, "saml": saml.NSAssertion,
	"eidas": NSEIDAS, "mdattr": NSMDAttr, "alg": NSAlg,
}

// builder writes one document, declaring namespaces on the root as used.
type builder struct {
	root     *etree.Element
	declared map[string]bool
}

func (b *builder) el(parent *etree.Element, qname string) *etree.Element {
	if prefix, _, ok := strings.Cut(qname, ":"); ok && !b.declared[prefix] {
		b.declared[prefix] = true
		b.root.CreateAttr("xmlns:"+prefix, prefixes[prefix])
	}
	return parent.CreateElement(qname)
}

func (b *builder) textEl(parent *etree.Element, qname, text string) *etree.Element {
	e := b.el(parent, qname)
	e.SetText(text)
	return e
}

func setAttr(el *etree.Element, key, val string) {
	if val != "" {
		el.CreateAttr(key, val)
	}
}

// Element returns the metadata as a new md:EntityDescriptor element, in
// schema order, with xmlns:md and xmlns:ds declared on it. It checks the
// descriptor first (see Validate). SignedBy and Raw are ignored.
func (e *EntityDescriptor) Element() (*etree.Element, error) {
	if err := e.Validate(); err != nil {
		return nil, err
	}
	return e.build(e.ID), nil
}

func (e *EntityDescriptor) build(id string) *etree.Element {
	root := etree.NewElement("md:EntityDescriptor")
	b := &builder{root: root, declared: map[string]bool{"md": true, "ds": true}}
	root.CreateAttr("xmlns:md", saml.NSMetadata)
	root.CreateAttr("xmlns:ds", saml.NSDSig)
	root.CreateAttr("entityID", e.EntityID)
	setAttr(root, "ID", id)
	writeValidity(root, e.ValidUntil, e.CacheDuration)
	b.extensions(root, &e.Extensions)
	if e.IDP != nil {
		b.idp(root, e.IDP)
	}
	if e.SP != nil {
		b.sp(root, e.SP)
	}
	for _, r := range e.OtherRoles {
		root.AddChild(r.Copy())
	}
	b.organization(root, e.Organization)
	for i := range e.ContactPersons {
		b.contact(root, &e.ContactPersons[i])
	}
	// Namespace declarations first, for readers of the XML.
	slices.SortStableFunc(root.Attr, func(x, y etree.Attr) int {
		return cmpBool(x.Space == "xmlns", y.Space == "xmlns")
	})
	return root
}

// cmpBool orders true before false.
func cmpBool(x, y bool) int {
	switch {
	case x == y:
		return 0
	case x:
		return -1
	}
	return 1
}

func writeValidity(el *etree.Element, validUntil time.Time, cacheDuration time.Duration) {
	if !validUntil.IsZero() {
		el.CreateAttr("validUntil", formatDateTime(validUntil))
	}
	if cacheDuration > 0 {
		el.CreateAttr("cacheDuration", formatDuration(cacheDuration))
	}
}

// Marshal returns the metadata as an indented, unsigned XML document.
func (e *EntityDescriptor) Marshal() ([]byte, error) {
	el, err := e.Element()
	if err != nil {
		return nil, err
	}
	doc := newDocument(el)
	doc.Indent(2)
	return writeDocument(doc)
}

func writeDocument(doc *etree.Document) ([]byte, error) {
	out, err := doc.WriteToBytes()
	if err != nil {
		return nil, fmt.Errorf("%w: writing XML: %w", ErrInvalidConfig, err)
	}
	return out, nil
}

// Sign returns the metadata as a signed XML document: an enveloped
// signature by signer over the EntityDescriptor, referring to its ID. When
// e.ID is empty a random ID is generated for the document (e is not
// changed).
func (e *EntityDescriptor) Sign(signer *dsig.Signer) ([]byte, error) {
	if signer == nil {
		return nil, fmt.Errorf("%w: nil signer", ErrInvalidConfig)
	}
	if err := e.Validate(); err != nil {
		return nil, err
	}
	id := e.ID
	if id == "" {
		id = newID()
	}
	el := e.build(id)
	doc := newDocument(el)
	doc.Indent(2)
	if err := signer.Sign(el); err != nil {
		return nil, fmt.Errorf("%w: signing: %w", ErrInvalidConfig, err)
	}
	return writeDocument(doc)
}

func newDocument(root *etree.Element) *etree.Document {
	doc := etree.NewDocument()
	// Escape CR in text and TAB/LF/CR in attribute values so that a signature
	// survives the reader's normalisation (see saml.Serialize).
	doc.WriteSettings.CanonicalText = true
	doc.WriteSettings.CanonicalAttrVal = true
	doc.CreateProcInst("xml", `version="1.0" encoding="UTF-8"`)
	doc.SetRoot(root)
	return doc
}

// newID returns a random xs:ID: "_" and 40 hex digits.
func newID() string {
	var b [20]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return "_" + hex.EncodeToString(b[:])
}

func (b *builder) extensions(parent *etree.Element, x *Extensions) {
	if x.IsZero() {
		return
	}
	ext := b.el(parent, "md:Extensions")
	if x.NodeCountry != "" {
		b.textEl(ext, "eidas:NodeCountry", x.NodeCountry)
	}
	if x.SPType != "" {
		b.textEl(ext, "eidas:SPType", x.SPType)
	}
	if len(x.EntityAttributes) > 0 {
		ea := b.el(ext, "mdattr:EntityAttributes")
		names := make([]string, 0, len(x.EntityAttributes))
		for n := range x.EntityAttributes {
			names = append(names, n)
		}
		slices.Sort(names)
		for _, n := range names {
			b.attribute(ea, "saml:Attribute", Attribute{Name: n, NameFormat: saml.AttrNameFormatURI,
				Values: x.EntityAttributes[n]})
		}
	}
	for _, sm := range x.SigningMethods {
		s := b.el(ext, "alg:SigningMethod")
		s.CreateAttr("Algorithm", sm.Algorithm)
		if sm.MinKeySize > 0 {
			s.CreateAttr("MinKeySize", strconv.Itoa(sm.MinKeySize))
		}
		if sm.MaxKeySize > 0 {
			s.CreateAttr("MaxKeySize", strconv.Itoa(sm.MaxKeySize))
		}
	}
	for _, dm := range x.DigestMethods {
		b.el(ext, "alg:DigestMethod").CreateAttr("Algorithm", dm)
	}
	for _, o := range x.Other {
		ext.AddChild(o.Copy())
	}
}

func (b *builder) attribute(parent *etree.Element, qname string, a Attribute) *etree.Element {
	el := b.el(parent, qname)
	el.CreateAttr("Name", a.Name)
	setAttr(el, "NameFormat", a.NameFormat)
	setAttr(el, "FriendlyName", a.FriendlyName)
	for _, v := range a.Values {
		b.textEl(el, "saml:AttributeValue", v)
	}
	return el
}

func (b *builder) role(el *etree.Element, r *RoleDescriptor) {
	setAttr(el, "ID", r.ID)
	writeValidity(el, r.ValidUntil, r.CacheDuration)
	protos := r.ProtocolSupportEnumeration
	if len(protos) == 0 {
		protos = []string{saml.NSProtocol}
	}
	el.CreateAttr("protocolSupportEnumeration", strings.Join(protos, " "))
	setAttr(el, "errorURL", r.ErrorURL)
}

// roleChildren writes the RoleDescriptorType and SSODescriptorType children.
func (b *builder) roleChildren(el *etree.Element, r *RoleDescriptor) {
	b.extensions(el, &r.Extensions)
	for _, kd := range r.KeyDescriptors {
		b.keyDescriptor(el, kd)
	}
	b.indexed(el, "md:ArtifactResolutionService", r.ArtifactResolutionServices)
	b.endpoints(el, "md:SingleLogoutService", r.SingleLogoutServices)
	b.endpoints(el, "md:ManageNameIDService", r.ManageNameIDServices)
	for _, f := range r.NameIDFormats {
		b.textEl(el, "md:NameIDFormat", f)
	}
}

func (b *builder) keyDescriptor(parent *etree.Element, kd KeyDescriptor) {
	el := b.el(parent, "md:KeyDescriptor")
	setAttr(el, "use", string(kd.Use))
	xd := b.el(b.el(el, "ds:KeyInfo"), "ds:X509Data")
	for _, c := range kd.Certificates {
		b.textEl(xd, "ds:X509Certificate", base64.StdEncoding.EncodeToString(c.Raw))
	}
	for _, m := range kd.EncryptionMethods {
		b.el(el, "md:EncryptionMethod").CreateAttr("Algorithm", m)
	}
}

func (b *builder) endpoints(parent *etree.Element, qname string, eps []Endpoint) {
	for _, ep := range eps {
		b.endpoint(parent, qname, ep)
	}
}

func (b *builder) endpoint(parent *etree.Element, qname string, ep Endpoint) *etree.Element {
	el := b.el(parent, qname)
	el.CreateAttr("Binding", ep.Binding)
	el.CreateAttr("Location", ep.Location)
	setAttr(el, "ResponseLocation", ep.ResponseLocation)
	return el
}

func (b *builder) indexed(parent *etree.Element, qname string, eps []IndexedEndpoint) {
	for _, ep := range eps {
		el := b.endpoint(parent, qname, ep.Endpoint)
		el.CreateAttr("index", strconv.Itoa(ep.Index))
		writeOptionalBool(el, "isDefault", ep.IsDefault)
	}
}

func writeOptionalBool(el *etree.Element, key string, v OptionalBool) {
	switch v {
	case True:
		el.CreateAttr(key, "true")
	case False:
		el.CreateAttr(key, "false")
	}
}

func (b *builder) idp(parent *etree.Element, d *IDPSSODescriptor) {
	el := b.el(parent, "md:IDPSSODescriptor")
	b.role(el, &d.RoleDescriptor)
	el.CreateAttr("WantAuthnRequestsSigned", strconv.FormatBool(d.WantAuthnRequestsSigned))
	b.roleChildren(el, &d.RoleDescriptor)
	b.endpoints(el, "md:SingleSignOnService", d.SingleSignOnServices)
	b.endpoints(el, "md:NameIDMappingService", d.NameIDMappingServices)
	b.endpoints(el, "md:AssertionIDRequestService", d.AssertionIDRequestServices)
	for _, p := range d.AttributeProfiles {
		b.textEl(el, "md:AttributeProfile", p)
	}
	for _, a := range d.Attributes {
		b.attribute(el, "saml:Attribute", a)
	}
}

func (b *builder) sp(parent *etree.Element, d *SPSSODescriptor) {
	el := b.el(parent, "md:SPSSODescriptor")
	b.role(el, &d.RoleDescriptor)
	el.CreateAttr("AuthnRequestsSigned", strconv.FormatBool(d.AuthnRequestsSigned))
	el.CreateAttr("WantAssertionsSigned", strconv.FormatBool(d.WantAssertionsSigned))
	b.roleChildren(el, &d.RoleDescriptor)
	b.indexed(el, "md:AssertionConsumerService", d.AssertionConsumerServices)
	for _, s := range d.AttributeConsumingServices {
		acs := b.el(el, "md:AttributeConsumingService")
		acs.CreateAttr("index", strconv.Itoa(s.Index))
		writeOptionalBool(acs, "isDefault", s.IsDefault)
		b.localized(acs, "md:ServiceName", s.ServiceNames)
		b.localized(acs, "md:ServiceDescription", s.ServiceDescriptions)
		for _, ra := range s.RequestedAttributes {
			r := b.attribute(acs, "md:RequestedAttribute", ra.Attribute)
			if ra.IsRequired {
				r.CreateAttr("isRequired", "true")
			}
		}
	}
}

func (b *builder) localized(parent *etree.Element, qname string, ls []Localized) {
	for _, l := range ls {
		el := b.textEl(parent, qname, l.Value)
		setAttr(el, "xml:lang", l.Lang)
	}
}

func (b *builder) organization(parent *etree.Element, o *Organization) {
	if o == nil {
		return
	}
	el := b.el(parent, "md:Organization")
	b.localized(el, "md:OrganizationName", o.Names)
	b.localized(el, "md:OrganizationDisplayName", o.DisplayNames)
	b.localized(el, "md:OrganizationURL", o.URLs)
}

func (b *builder) contact(parent *etree.Element, c *ContactPerson) {
	el := b.el(parent, "md:ContactPerson")
	el.CreateAttr("contactType", c.Type)
	for _, kv := range [][2]string{{"md:Company", c.Company}, {"md:GivenName", c.GivenName}, {"md:SurName", c.SurName}} {
		if kv[1] != "" {
			b.textEl(el, kv[0], kv[1])
		}
	}
	for _, m := range c.EmailAddresses {
		b.textEl(el, "md:EmailAddress", m)
	}
	for _, t := range c.TelephoneNumbers {
		b.textEl(el, "md:TelephoneNumber", t)
	}
}
