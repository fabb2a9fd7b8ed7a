package io.streamguard.console.web;

import static io.streamguard.console.web.Html.esc;

import java.util.Optional;

/** Renders the sign-in form; its fields are named username and password (a documented hook for tools). */
final class LoginView {
    private LoginView() {}

    static String page(String csrf, Optional<String> error, String username) {
        String body = "<h1>Sign in</h1>"
                + error.map(e -> "<p class=\"error\" id=\"login-error\">" + esc(e) + "</p>")
                        .orElse("")
                + "<form method=\"post\" action=\"/login\">" + Html.csrfField(csrf)
                + "<p><label>Name <input name=\"username\" autocomplete=\"username\" autofocus value=\""
                + esc(username) + "\"></label></p>"
                + "<p><label>Password <input type=\"password\" name=\"password\""
                + " autocomplete=\"current-password\"></label></p>"
                + "<p><button type=\"submit\">Sign in</button></p></form>";
        return Html.page("Sign in", "<header><strong>StreamGuard console</strong></header>", body);
    }
}
