package deploytest

// CheckAll runs every check of the deployment files against the repository in r.
func CheckAll(r *Repo) []error {
	im, errs := CheckDockerfile(r)
	errs = append(errs, CheckCompose(r, im)...)
	errs = append(errs, CheckKustomizations(r, im)...)
	errs = append(errs, CheckGrafana(r)...)
	return errs
}
