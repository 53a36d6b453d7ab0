import Hummingbird

/// The home page and the pages of parts that are still to come.
struct SiteRoutes {
    let views: Views

    func register(on router: Router<AppRequestContext>) {
        router.get("/") { _, context in
            try views.page("home", title: "Open Assistant", context: context, section: "home")
        }
        router.get("/about") { _, context in
            try views.page("about", title: "About Open Assistant", context: context, section: "about")
        }
        router.get("/terms") { _, context in
            try views.page("terms", title: "Terms of use", context: context)
        }
    }
}
