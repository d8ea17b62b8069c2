package livestormtest

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/google/uuid"
	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/sandbox/table"
	"github.com/onair-go/onair/livestorm/internal/server"
)

func (a *api) ListPeople(_ context.Context, req server.ListPeopleRequestObject) (server.ListPeopleResponseObject, error) {
	p := req.Params
	people := a.people.List(func(x server.Person) bool { return hasRoleAndEmail(x, p.FilterRole, p.FilterEmail) })
	page, meta, err := paginate(people, p.PageNumber, p.PageSize)
	return server.ListPeople200ApplicationVndAPIPlusJSONResponse{Body: server.PersonList{Data: page, Meta: meta}}, err
}

// hasRoleAndEmail reports whether the person has the role and the email,
// in any case, where they are given.
func hasRoleAndEmail[R ~string](p server.Person, role *R, email *string) bool {
	return (role == nil || table.Deref(p.Attributes.Role) == string(*role)) &&
		(email == nil || strings.EqualFold(table.Deref(p.Attributes.Email), *email))
}

func (a *api) GetPerson(_ context.Context, req server.GetPersonRequestObject) (server.GetPersonResponseObject, error) {
	p, err := table.Find(&a.people, req.ID, notFound("person"))
	return server.GetPerson200ApplicationVndAPIPlusJSONResponse{Body: server.PersonResponse{Data: p}}, err
}

// ListPeopleAttributes filters the attributes and sorts them by slug or
// name; the sandbox keeps no placeholder or times, so a sort by one of those
// keeps the seed's order.
func (a *api) ListPeopleAttributes(_ context.Context, req server.ListPeopleAttributesRequestObject) (server.ListPeopleAttributesResponseObject, error) {
	p := req.Params
	attrs := a.attributes.List(func(x server.PeopleAttribute) bool {
		builtin := !table.Deref(x.Attributes.Custom)
		return (p.FilterBuiltin == nil || builtin == *p.FilterBuiltin) &&
			(p.FilterName == nil || table.Deref(x.Attributes.Name) == *p.FilterName) &&
			(p.FilterSlug == nil || x.ID == *p.FilterSlug) &&
			(p.FilterType == nil || table.Deref(x.Attributes.FieldType) == *p.FilterType)
	})
	if p.Sort != nil {
		if err := sortAttributes(attrs, *p.Sort); err != nil {
			return nil, err
		}
	}
	page, meta, err := paginate(attrs, p.PageNumber, p.PageSize)
	return server.ListPeopleAttributes200ApplicationVndAPIPlusJSONResponse{Body: server.PeopleAttributeList{Data: page, Meta: meta}}, err
}

func (a *api) ListUsers(_ context.Context, req server.ListUsersRequestObject) (server.ListUsersResponseObject, error) {
	p := req.Params
	users := a.users.List(func(u server.User) bool {
		return (p.FilterPendingInvite == nil || table.Deref(u.Attributes.PendingInvite) == *p.FilterPendingInvite) &&
			(p.FilterRole == nil || table.Deref(u.Attributes.Role) == string(*p.FilterRole)) &&
			(p.FilterEmail == nil || strings.EqualFold(table.Deref(u.Attributes.Email), *p.FilterEmail))
	})
	page, meta, err := paginate(users, p.PageNumber, p.PageSize)
	return server.ListUsers200ApplicationVndAPIPlusJSONResponse{Body: server.UserList{Data: page, Meta: meta}}, err
}

// InviteUser adds a pending team member; an email already on the team
// answers 422.
func (a *api) InviteUser(_ context.Context, req server.InviteUserRequestObject) (server.InviteUserResponseObject, error) {
	w := req.Body.Data.Attributes
	email := strings.TrimSpace(w.Email)
	if !strings.Contains(email, "@") {
		return nil, errorf(http.StatusUnprocessableEntity, "%q is not an email address.", w.Email)
	}
	if _, taken := a.users.First(func(u server.User) bool { return strings.EqualFold(table.Deref(u.Attributes.Email), email) }); taken {
		return nil, errorf(http.StatusUnprocessableEntity, "%s is already a member of the team.", email)
	}
	u := server.User{ID: uuid.NewString(), Type: "users", Attributes: server.UserAttributes{
		Email: &email, Role: onair.Ptr(string(w.Role)), PendingInvite: onair.Ptr(true),
	}}
	a.users.Put(u.ID, u)
	return server.InviteUser201ApplicationVndAPIPlusJSONResponse{Body: server.UserResponse{Data: u}}, nil
}

func (a *api) DeleteUser(_ context.Context, req server.DeleteUserRequestObject) (server.DeleteUserResponseObject, error) {
	if !a.users.Delete(req.ID) {
		return nil, notFound("user")
	}
	return server.DeleteUser204Response{}, nil
}

// sortAttributes sorts attrs by sort's key, reversed by a leading "-".
func sortAttributes(attrs []server.PeopleAttribute, sort string) error {
	key, desc := strings.CutPrefix(sort, "-")
	keys := map[string]func(server.PeopleAttribute) string{
		"slug":        func(x server.PeopleAttribute) string { return x.ID },
		"name":        func(x server.PeopleAttribute) string { return strings.ToLower(table.Deref(x.Attributes.Name)) },
		"placeholder": nil, "created_at": nil, "updated_at": nil, // not kept: every attribute ties
	}
	by, ok := keys[key]
	if !ok {
		return errorf(http.StatusBadRequest, "sort %q is not one of slug, name, placeholder, created_at and updated_at, with an optional leading -.", sort)
	}
	if by != nil {
		slices.SortStableFunc(attrs, func(x, y server.PeopleAttribute) int {
			if desc {
				x, y = y, x
			}
			return cmp.Compare(by(x), by(y))
		})
	}
	return nil
}
