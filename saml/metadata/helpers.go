package metadata

import (
	"crypto/x509"
	"fmt"
	"time"
)

// SigningCertificates returns the key certificate of every KeyDescriptor
// whose use is signing or unspecified, in document order. During key
// rollover there are several; a verifier should accept any of them. Only the
// first certificate of a KeyDescriptor is its key: further certificates in
// the same ds:X509Data form its chain and are not returned.
func (r *RoleDescriptor) SigningCertificates() []*x509.Certificate {
	return r.certificates(KeyUseSigning)
}

// EncryptionCertificates returns the key certificate of every KeyDescriptor
// whose use is encryption or unspecified, in document order (chain
// certificates excluded, as for SigningCertificates). Encrypt to the first;
// decrypters keep older keys for rollover.
func (r *RoleDescriptor) EncryptionCertificates() []*x509.Certificate {
	return r.certificates(KeyUseEncryption)
}

func (r *RoleDescriptor) certificates(use KeyUse) []*x509.Certificate {
	var out []*x509.Certificate
	for _, kd := range r.KeyDescriptors {
		if (kd.Use == use || kd.Use == KeyUseAny) && len(kd.Certificates) > 0 {
			out = append(out, kd.Certificates[0])
		}
	}
	return out
}

// SLOEndpoint returns the first SingleLogoutService with the given binding,
// or an error wrapping ErrNoEndpoint.
func (r *RoleDescriptor) SLOEndpoint(binding string) (Endpoint, error) {
	return endpointFor(r.SingleLogoutServices, binding, "SingleLogoutService")
}

// SSOEndpoint returns the first SingleSignOnService with the given binding,
// or an error wrapping ErrNoEndpoint.
func (d *IDPSSODescriptor) SSOEndpoint(binding string) (Endpoint, error) {
	return endpointFor(d.SingleSignOnServices, binding, "SingleSignOnService")
}

func endpointFor(eps []Endpoint, binding, kind string) (Endpoint, error) {
	for _, ep := range eps {
		if ep.Binding == binding {
			return ep, nil
		}
	}
	return Endpoint{}, fmt.Errorf("%w: no %s with binding %q", ErrNoEndpoint, kind, binding)
}

// DefaultACS returns the default AssertionConsumerService by the rule of
// SAML metadata §2.2.3: the first with isDefault="true", else the first
// without isDefault="false", else the first. It returns an error wrapping
// ErrNoEndpoint when there is none.
func (d *SPSSODescriptor) DefaultACS() (IndexedEndpoint, error) {
	return defaultIndexed(d.AssertionConsumerServices)
}

func defaultIndexed(eps []IndexedEndpoint) (IndexedEndpoint, error) {
	if len(eps) == 0 {
		return IndexedEndpoint{}, fmt.Errorf("%w: no AssertionConsumerService", ErrNoEndpoint)
	}
	for _, ep := range eps {
		if ep.IsDefault == True {
			return ep, nil
		}
	}
	for _, ep := range eps {
		if ep.IsDefault == Unset {
			return ep, nil
		}
	}
	return eps[0], nil
}

// ACSByIndex returns the AssertionConsumerService with the given index, as
// an AuthnRequest's AssertionConsumerServiceIndex names it.
func (d *SPSSODescriptor) ACSByIndex(index int) (IndexedEndpoint, error) {
	for _, ep := range d.AssertionConsumerServices {
		if ep.Index == index {
			return ep, nil
		}
	}
	return IndexedEndpoint{}, fmt.Errorf("%w: no AssertionConsumerService with index %d", ErrNoEndpoint, index)
}

// ACSByBinding returns the default AssertionConsumerService if it has the
// given binding, else the first one that does.
func (d *SPSSODescriptor) ACSByBinding(binding string) (IndexedEndpoint, error) {
	if def, err := d.DefaultACS(); err == nil && def.Binding == binding {
		return def, nil
	}
	for _, ep := range d.AssertionConsumerServices {
		if ep.Binding == binding {
			return ep, nil
		}
	}
	return IndexedEndpoint{}, fmt.Errorf("%w: no AssertionConsumerService with binding %q", ErrNoEndpoint, binding)
}

// HasACSLocation reports whether location is exactly the Location of one of
// the SP's AssertionConsumerServices. Use it to check an AuthnRequest's
// AssertionConsumerServiceURL: never send a response to a URL the metadata
// does not list.
func (d *SPSSODescriptor) HasACSLocation(location string) bool {
	for _, ep := range d.AssertionConsumerServices {
		if ep.Location == location {
			return true
		}
	}
	return false
}

// Valid reports whether the metadata, including its role descriptors, is
// still valid at now: it returns an error wrapping ErrExpired once a
// validUntil has passed. Call it on cached copies before each use; metadata
// without validUntil is always valid here (see ParseOptions.RequireValidUntil).
func (e *EntityDescriptor) Valid(now time.Time) error {
	if err := checkNotExpired(e.ValidUntil, now, "EntityDescriptor "+quote(e.EntityID)); err != nil {
		return err
	}
	if e.SP != nil {
		if err := checkNotExpired(e.SP.ValidUntil, now, "SPSSODescriptor of "+quote(e.EntityID)); err != nil {
			return err
		}
	}
	if e.IDP != nil {
		if err := checkNotExpired(e.IDP.ValidUntil, now, "IDPSSODescriptor of "+quote(e.EntityID)); err != nil {
			return err
		}
	}
	return nil
}

func checkNotExpired(validUntil, now time.Time, what string) error {
	if !validUntil.IsZero() && !now.Before(validUntil) {
		return fmt.Errorf("%w: %s valid until %s, now %s", ErrExpired, what,
			validUntil.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	return nil
}

func quote(s string) string { return fmt.Sprintf("%q", s) }
