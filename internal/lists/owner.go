package lists

import (
	"errors"
	"fmt"

	"github.com/watchpost/watchpost/deploy"
	"github.com/watchpost/watchpost/internal/acl"
)

// LoaderRole is the role of the ACL declaration whose principals load lists.
const LoaderRole = "loader"

// Owner returns the country a loader acts for. With SASL credentials (user not empty) it is
// the country of that user, a principal with role loader in decl; flagOwner, if given, must
// agree. A loader principal without a country (the shared `loader`) may not load lists: its
// credentials name no owner. Without SASL, flagOwner is required.
func Owner(decl *acl.File, user, flagOwner string) (string, error) {
	if flagOwner != "" && !deploy.ValidCountry(flagOwner) {
		return "", errors.New("--owner: want an upper-case ISO 3166 alpha-3 code")
	}
	if user == "" {
		if flagOwner == "" {
			return "", errors.New("--owner is required without SASL credentials (with them, the owner is the SASL user's country)")
		}
		return flagOwner, nil
	}
	if decl == nil {
		return "", errors.New("an ACL declaration is required to find the SASL user's country")
	}
	for _, p := range decl.Principals {
		if p.User != user {
			continue
		}
		switch {
		case p.Role != LoaderRole:
			return "", fmt.Errorf("SASL user %s has role %s, not %s: it may not load lists", user, p.Role, LoaderRole)
		case p.Country == "":
			return "", fmt.Errorf("SASL user %s has no country in the ACL declaration: a loader loads for its credentials' country (declare one such as loader-FRA)", user)
		case flagOwner != "" && flagOwner != p.Country:
			return "", fmt.Errorf("--owner %s disagrees with SASL user %s, which loads for %s", flagOwner, user, p.Country)
		}
		return p.Country, nil
	}
	return "", fmt.Errorf("SASL user %s is not a principal of the ACL declaration", user)
}
