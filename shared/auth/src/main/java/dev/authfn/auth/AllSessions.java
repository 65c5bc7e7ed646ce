package dev.authfn.auth;

import dev.authfn.core.session.SessionStore;
import dev.authfn.core.user.UserStore;
import java.time.Instant;
import java.util.Set;

/**
 * Ends every session of a user without trusting the sessions index alone (docs/API.md §10.3): the
 * index is eventually consistent, so a session created a moment before may be missing from it.
 * First the user's session epoch is closed, which takes the sessions registered since the last
 * time and makes every login that read the user before fail to register (and so to start a
 * session); then every session the index lists and every registered one is ended.
 */
final class AllSessions {

    private AllSessions() {
    }

    /**
     * @return how many sessions ended. When no user {@code username} has the id {@code userId}
     *     (gone, or re-created under a new id), only the index is used: no registration of theirs
     *     remains anywhere.
     */
    static int end(UserStore users, SessionStore sessions, String username, String userId, Instant now) {
        Set<String> registered = users.closeSessionEpoch(username, userId, now).orElse(Set.of());
        int ended = sessions.revokeAll(userId);
        for (String sessionId : registered) {
            // False for those the index already listed (deleted above) and those ended before.
            if (sessions.revoke(sessionId, userId)) {
                ended++;
            }
        }
        return ended;
    }
}
