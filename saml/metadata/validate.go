package metadata

import (
	"errors"
	"fmt"
	"strings"
)

// Validate checks that the descriptor can be published: an entityID of at
// most MaxEntityIDLength characters, at least one role, absolute http(s)
// endpoint URLs with bindings, unique endpoint indexes, at least one
// certificate in every KeyDescriptor, an SP with an AssertionConsumerService
// and an IdP with a SingleSignOnService, and well-formed eIDAS extensions.
// It returns every problem joined; each wraps ErrInvalidConfig.
func (e *EntityDescriptor) Validate() error {
	v := &validator{}
	switch {
	case strings.TrimSpace(e.EntityID) == "":
		v.add("EntityID", "empty")
	case len(e.EntityID) > MaxEntityIDLength:
		v.add("EntityID", fmt.Sprintf("longer than %d", MaxEntityIDLength))
	}
	if e.SP == nil && e.IDP == nil && len(e.OtherRoles) == 0 {
		v.add("EntityDescriptor", "no role descriptor")
	}
	v.extensions("Extensions", &e.Extensions)
	if e.SP != nil {
		v.role("SP", &e.SP.RoleDescriptor)
		if len(e.SP.AssertionConsumerServices) == 0 {
			v.add("SP.AssertionConsumerServices", "empty")
		}
		v.indexed("SP.AssertionConsumerServices", e.SP.AssertionConsumerServices)
		v.attributeServices(e.SP.AttributeConsumingServices)
	}
	if e.IDP != nil {
		v.role("IDP", &e.IDP.RoleDescriptor)
		if len(e.IDP.SingleSignOnServices) == 0 {
			v.add("IDP.SingleSignOnServices", "empty")
		}
		v.endpoints("IDP.SingleSignOnServices", e.IDP.SingleSignOnServices)
		v.endpoints("IDP.NameIDMappingServices", e.IDP.NameIDMappingServices)
		v.endpoints("IDP.AssertionIDRequestServices", e.IDP.AssertionIDRequestServices)
		for i, a := range e.IDP.Attributes {
			if a.Name == "" {
				v.add(fmt.Sprintf("IDP.Attributes[%d].Name", i), "empty")
			}
		}
	}
	for i, r := range e.OtherRoles {
		if r == nil {
			v.add(fmt.Sprintf("OtherRoles[%d]", i), "nil")
		}
	}
	for i, c := range e.ContactPersons {
		if !contactTypes[c.Type] {
			v.add(fmt.Sprintf("ContactPersons[%d].Type", i), fmt.Sprintf("%q is not a contactType", c.Type))
		}
	}
	return errors.Join(v.errs...)
}

type validator struct{ errs []error }

func (v *validator) add(field, reason string) {
	v.errs = append(v.errs, fmt.Errorf("%w: %s: %s", ErrInvalidConfig, field, reason))
}

func (v *validator) addErr(err error) {
	v.errs = append(v.errs, fmt.Errorf("%w: %w", ErrInvalidConfig, err))
}

func (v *validator) role(name string, r *RoleDescriptor) {
	v.extensions(name+".Extensions", &r.Extensions)
	for i, kd := range r.KeyDescriptors {
		field := fmt.Sprintf("%s.KeyDescriptors[%d]", name, i)
		switch kd.Use {
		case KeyUseAny, KeyUseSigning, KeyUseEncryption:
		default:
			v.add(field+".Use", fmt.Sprintf("%q is not signing or encryption", kd.Use))
		}
		if len(kd.Certificates) == 0 {
			v.add(field+".Certificates", "empty")
		}
		for j, c := range kd.Certificates {
			if c == nil || len(c.Raw) == 0 {
				v.add(fmt.Sprintf("%s.Certificates[%d]", field, j), "nil or without DER")
			}
		}
	}
	v.indexed(name+".ArtifactResolutionServices", r.ArtifactResolutionServices)
	v.endpoints(name+".SingleLogoutServices", r.SingleLogoutServices)
	v.endpoints(name+".ManageNameIDServices", r.ManageNameIDServices)
	for i, f := range r.NameIDFormats {
		if strings.TrimSpace(f) == "" {
			v.add(fmt.Sprintf("%s.NameIDFormats[%d]", name, i), "empty")
		}
	}
}

func (v *validator) endpoints(field string, eps []Endpoint) {
	for i, ep := range eps {
		if err := checkEndpoint(ep, fmt.Sprintf("%s[%d]", field, i)); err != nil {
			v.addErr(err)
		}
	}
}

func (v *validator) indexed(field string, eps []IndexedEndpoint) {
	seen := map[int]bool{}
	for i, ep := range eps {
		f := fmt.Sprintf("%s[%d]", field, i)
		if err := checkEndpoint(ep.Endpoint, f); err != nil {
			v.addErr(err)
		}
		if ep.Index < 0 || ep.Index > 65535 {
			v.add(f+".Index", "outside 0..65535")
		}
		if seen[ep.Index] {
			v.add(f+".Index", fmt.Sprintf("duplicate index %d", ep.Index))
		}
		seen[ep.Index] = true
	}
}

func (v *validator) attributeServices(svcs []AttributeConsumingService) {
	seen := map[int]bool{}
	for i, s := range svcs {
		f := fmt.Sprintf("SP.AttributeConsumingServices[%d]", i)
		if seen[s.Index] || s.Index < 0 || s.Index > 65535 {
			v.add(f+".Index", fmt.Sprintf("duplicate or out of range index %d", s.Index))
		}
		seen[s.Index] = true
		if len(s.ServiceNames) == 0 {
			v.add(f+".ServiceNames", "empty")
		}
		if len(s.RequestedAttributes) == 0 {
			v.add(f+".RequestedAttributes", "empty")
		}
		for j, ra := range s.RequestedAttributes {
			if ra.Name == "" {
				v.add(fmt.Sprintf("%s.RequestedAttributes[%d].Name", f, j), "empty")
			}
		}
	}
}

func (v *validator) extensions(field string, x *Extensions) {
	if c := x.NodeCountry; c != "" && (len(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z') {
		v.add(field+".NodeCountry", fmt.Sprintf("%q is not an ISO 3166-1 alpha-2 code", c))
	}
	if t := x.SPType; t != "" && t != "public" && t != "private" {
		v.add(field+".SPType", fmt.Sprintf("%q is not public or private", t))
	}
	for i, sm := range x.SigningMethods {
		if sm.Algorithm == "" || sm.MinKeySize < 0 || sm.MaxKeySize < 0 {
			v.add(fmt.Sprintf("%s.SigningMethods[%d]", field, i), "empty Algorithm or negative key size")
		}
	}
	for i, dm := range x.DigestMethods {
		if dm == "" {
			v.add(fmt.Sprintf("%s.DigestMethods[%d]", field, i), "empty")
		}
	}
	for i, o := range x.Other {
		if o == nil {
			v.add(fmt.Sprintf("%s.Other[%d]", field, i), "nil")
		}
	}
}
