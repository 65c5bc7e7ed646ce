package dev.authfn.testkit;

import static dev.authfn.testkit.SessionStoreContract.randomId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authfn.core.passkey.Passkey;
import dev.authfn.core.passkey.PasskeyChallenge;
import dev.authfn.core.passkey.PasskeyStore;
import dev.authfn.core.passkey.PasskeyStore.Added;
import dev.authfn.core.passkey.PasskeyStore.Ceremony;
import dev.authfn.core.passkey.PasskeyStore.Challenge;
import dev.authfn.core.passkey.PasskeyStore.Registrant;
import dev.authfn.core.user.LockoutPolicy;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserLookup;
import dev.authfn.core.user.UserStatus;
import dev.authfn.core.user.UserStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link PasskeyStore} must do, over the user store whose users it keeps passkeys for.
 * A store's test class extends this and supplies both over one backing, and a way to remove a
 * user as an operator would (so that a user re-created under the same name is another account).
 * Time is explicit and in whole milliseconds (what the table keeps); every test uses fresh random
 * names and credential ids.
 */
public abstract class PasskeyStoreContract {

    protected static final Instant T0 = SessionStoreContract.T0;
    /** The limit the tests add against: small, so reaching it is cheap. */
    protected static final int MAX = 3;
    private static final int PARALLEL = 10;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A user store, and the passkey store over the same users. */
    public record Backing(UserStore users, PasskeyStore passkeys) {
    }

    private Backing backing;

    protected abstract Backing newBacking();

    /** Removes the user item of that name and nothing else. */
    protected abstract void removeUser(String username);

    @BeforeEach
    void createStores() {
        backing = newBacking();
    }

    protected final UserStore users() {
        return backing.users();
    }

    protected final PasskeyStore passkeys() {
        return backing.passkeys();
    }

    /** A new user, stored. */
    protected final User stored() {
        User user = UserStoreContract.newUser();
        assertThat(users().create(user)).isTrue();
        return user;
    }

    /** Unpadded base64url of {@code n} random bytes: a credential id, a key, a handle. */
    protected static String randomBase64Url(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A new passkey of {@code user}, registered at {@code createdAt}, never used, not flagged. */
    protected static Passkey newPasskey(User user, Instant createdAt) {
        return new Passkey(randomBase64Url(32), user.username(), user.userId(), randomBase64Url(32),
                randomBase64Url(77), 5, "adce0002-35bc-c60a-648b-0b25f1f05503", List.of("internal", "hybrid"),
                true, false, "Phone", createdAt, Optional.empty(), false);
    }

    /** A new passkey of {@code user}, added. */
    protected final Passkey added(User user, Instant createdAt) {
        Passkey passkey = newPasskey(user, createdAt);
        assertThat(passkeys().add(passkey, MAX)).isEqualTo(Added.ADDED);
        return passkey;
    }

    protected final Passkey added(User user) {
        return added(user, T0);
    }

    private Passkey found(Passkey passkey) {
        return passkeys().find(passkey.credentialId()).orElseThrow();
    }

    private static Challenge registration(User user, Instant expiresAt) {
        return new Challenge(PasskeyChallenge.generate(RANDOM).hash(), Ceremony.REGISTRATION,
                Optional.of(new Registrant(user.username(), user.userId(), randomId(), randomBase64Url(32))), expiresAt);
    }

    private static Challenge authentication(Instant expiresAt) {
        return new Challenge(PasskeyChallenge.generate(RANDOM).hash(), Ceremony.AUTHENTICATION, Optional.empty(),
                expiresAt);
    }

    // --- the user handle ---

    @Test
    void theFirstHandleIsStoredAndEveryLaterCallGetsIt() {
        User user = stored();

        assertThat(passkeys().userHandle(user.username(), user.userId(), "handle-one")).contains("handle-one");
        assertThat(passkeys().userHandle(user.username(), user.userId(), "handle-two")).contains("handle-one");
        assertThat(users().get(user.username())).as("the user is otherwise as it was").contains(user);
    }

    @Test
    void tenFirstCallsAtOnceAgreeOnOneHandle() throws Exception {
        User user = stored();
        List<Callable<Optional<String>>> calls = new ArrayList<>();
        for (int i = 0; i < PARALLEL; i++) {
            String candidate = "candidate-" + i;
            calls.add(() -> passkeys().userHandle(user.username(), user.userId(), candidate));
        }

        List<Optional<String>> handles = inParallel(calls);

        assertThat(new HashSet<>(handles)).hasSize(1);
        String handle = handles.getFirst().orElseThrow();
        assertThat(handle).startsWith("candidate-");
        assertThat(passkeys().userHandle(user.username(), user.userId(), "later")).contains(handle);
    }

    @Test
    void noHandleIsGivenOrStoredForAnUnknownNameOrAnotherUserId() {
        User user = stored();
        String unknown = "nobody-" + randomId();

        assertThat(passkeys().userHandle(unknown, randomId(), "handle-one")).isEmpty();
        assertThat(passkeys().userHandle(user.username(), randomId(), "handle-one")).isEmpty();

        assertThat(users().get(unknown)).isEmpty();
        assertThat(users().lookup(unknown, T0)).isEqualTo(UserLookup.Unknown.NEVER_FAILED);
        assertThat(passkeys().userHandle(user.username(), user.userId(), "handle-two"))
                .as("the refused call stored nothing").contains("handle-two");
    }

    @Test
    void aUserReCreatedUnderTheNameStartsWithoutTheOldHandle() {
        User old = stored();
        passkeys().userHandle(old.username(), old.userId(), "old-handle");
        User successor = recreate(old);

        assertThat(passkeys().userHandle(old.username(), old.userId(), "again")).isEmpty();
        assertThat(passkeys().userHandle(successor.username(), successor.userId(), "new-handle")).contains("new-handle");
    }

    // --- adding, listing, finding ---

    @Test
    void anAddedPasskeyIsFoundByItsCredentialIdWithEveryAttribute() {
        User user = stored();
        Passkey passkey = new Passkey(randomBase64Url(16), user.username(), user.userId(), randomBase64Url(32),
                randomBase64Url(91), 0, "00000000-0000-0000-0000-000000000000", List.of("usb", "nfc", "ble"),
                false, false, "Security key", T0.plusMillis(7), Optional.empty(), false);

        assertThat(passkeys().add(passkey, MAX)).isEqualTo(Added.ADDED);

        assertThat(passkeys().find(passkey.credentialId())).contains(passkey);
        assertThat(passkeys().list(user.username(), user.userId())).containsExactly(passkey);
        assertThat(users().get(user.username())).as("the user is otherwise as it was").contains(user);
    }

    @Test
    void aPasskeyWithoutTransportsKeepsAnEmptyList() {
        User user = stored();
        Passkey passkey = new Passkey(randomBase64Url(32), user.username(), user.userId(), randomBase64Url(32),
                randomBase64Url(77), 0, "00000000-0000-0000-0000-000000000000", List.of(), false, false,
                "Passkey", T0, Optional.empty(), false);

        passkeys().add(passkey, MAX);

        assertThat(found(passkey).transports()).isEmpty();
    }

    @Test
    void anUnknownCredentialIdFindsNothing() {
        assertThat(passkeys().find(randomBase64Url(32))).isEmpty();
        assertThat(passkeys().find("")).isEmpty();
        assertThat(passkeys().find("x".repeat(5000))).as("longer than any key").isEmpty();
    }

    @Test
    void theListIsTheUsersOwnOldestFirst() {
        User user = stored();
        User other = stored();
        Passkey second = added(user, T0.plusSeconds(60));
        Passkey first = added(user, T0);
        added(other, T0.minusSeconds(60));
        Passkey third = added(user, T0.plusSeconds(120));

        assertThat(passkeys().list(user.username(), user.userId())).containsExactly(first, second, third);
        assertThat(passkeys().list(other.username(), other.userId())).hasSize(1);
    }

    @Test
    void passkeysRegisteredInTheSameMillisecondAreListedByCredentialId() {
        User user = stored();
        Passkey one = added(user, T0);
        Passkey two = added(user, T0);

        List<Passkey> expected = one.credentialId().compareTo(two.credentialId()) < 0 ? List.of(one, two)
                : List.of(two, one);
        assertThat(passkeys().list(user.username(), user.userId())).isEqualTo(expected);
    }

    @Test
    void thereIsNoListForAUserWithoutPasskeysAnUnknownNameOrAnotherUserId() {
        User user = stored();
        assertThat(passkeys().list(user.username(), user.userId())).isEmpty();

        added(user);

        assertThat(passkeys().list("nobody-" + randomId(), user.userId())).isEmpty();
        assertThat(passkeys().list(user.username(), randomId())).isEmpty();
    }

    @Test
    void aCredentialIdIsAddedOnceForItsUser() {
        User user = stored();
        Passkey passkey = added(user);
        Passkey again = new Passkey(passkey.credentialId(), user.username(), user.userId(), passkey.userHandle(),
                randomBase64Url(77), 9, passkey.aaguid(), List.of("usb"), false, false, "Again", T0.plusSeconds(5),
                Optional.empty(), false);

        assertThat(passkeys().add(again, MAX)).isEqualTo(Added.DUPLICATE);

        assertThat(found(passkey)).isEqualTo(passkey);
        assertThat(passkeys().list(user.username(), user.userId())).containsExactly(passkey);
    }

    @Test
    void anotherUsersCredentialIdIsADuplicateAndStaysTheirs() {
        User owner = stored();
        User other = stored();
        Passkey theirs = added(owner);
        Passkey mine = new Passkey(theirs.credentialId(), other.username(), other.userId(), randomBase64Url(32),
                randomBase64Url(77), 0, theirs.aaguid(), List.of(), false, false, "Mine", T0, Optional.empty(), false);

        assertThat(passkeys().add(mine, MAX)).isEqualTo(Added.DUPLICATE);

        assertThat(found(theirs)).isEqualTo(theirs);
        assertThat(passkeys().list(other.username(), other.userId())).isEmpty();
        assertThat(passkeys().list(owner.username(), owner.userId())).containsExactly(theirs);
    }

    @Test
    void tenUsersAddingOneCredentialIdAtOnceGiveItToOne() throws Exception {
        String credentialId = randomBase64Url(32);
        List<User> adders = new ArrayList<>();
        List<Callable<Added>> adds = new ArrayList<>();
        for (int i = 0; i < PARALLEL; i++) {
            User user = stored();
            adders.add(user);
            Passkey passkey = new Passkey(credentialId, user.username(), user.userId(), randomBase64Url(32),
                    randomBase64Url(77), 0, "00000000-0000-0000-0000-000000000000", List.of(), false, false,
                    "Passkey", T0, Optional.empty(), false);
            adds.add(() -> passkeys().add(passkey, MAX));
        }

        List<Added> results = inParallel(adds);

        assertThat(results).containsOnlyOnce(Added.ADDED).filteredOn(Added.DUPLICATE::equals).hasSize(PARALLEL - 1);
        User winner = adders.get(results.indexOf(Added.ADDED));
        assertThat(passkeys().find(credentialId).orElseThrow().userId()).isEqualTo(winner.userId());
        for (User user : adders) {
            assertThat(passkeys().list(user.username(), user.userId())).hasSize(user == winner ? 1 : 0);
        }
    }

    @Test
    void aUserAtTheLimitAddsNoMoreUntilOneIsRemoved() {
        User user = stored();
        List<Passkey> held = new ArrayList<>();
        for (int i = 0; i < MAX; i++) {
            held.add(added(user, T0.plusSeconds(i)));
        }
        Passkey extra = newPasskey(user, T0.plusSeconds(60));

        assertThat(passkeys().add(extra, MAX)).isEqualTo(Added.LIMIT_REACHED);
        assertThat(passkeys().find(extra.credentialId())).isEmpty();
        assertThat(passkeys().list(user.username(), user.userId())).isEqualTo(held);
        assertThat(passkeys().add(extra, MAX + 1)).as("the limit is the caller's").isEqualTo(Added.ADDED);
        assertThat(passkeys().remove(user.username(), user.userId(), extra.credentialId())).isTrue();

        assertThat(passkeys().remove(user.username(), user.userId(), held.getFirst().credentialId())).isTrue();
        assertThat(passkeys().add(extra, MAX)).isEqualTo(Added.ADDED);
    }

    @Test
    void tenAddsAtOnceToAUserWithRoomForOneAddOne() throws Exception {
        User user = stored();
        for (int i = 0; i < MAX - 1; i++) {
            added(user, T0.plusSeconds(i));
        }
        List<Callable<Added>> adds = new ArrayList<>();
        for (int i = 0; i < PARALLEL; i++) {
            Passkey passkey = newPasskey(user, T0.plusSeconds(60));
            adds.add(() -> passkeys().add(passkey, MAX));
        }

        List<Added> results = inParallel(adds);

        assertThat(results).containsOnlyOnce(Added.ADDED)
                .filteredOn(Added.LIMIT_REACHED::equals).hasSize(PARALLEL - 1);
        assertThat(passkeys().list(user.username(), user.userId())).hasSize(MAX);
    }

    @Test
    void aTakenCredentialIdIsToldBeforeTheLimit() {
        User user = stored();
        Passkey first = added(user, T0);
        for (int i = 1; i < MAX; i++) {
            added(user, T0.plusSeconds(i));
        }

        assertThat(passkeys().add(first, MAX)).isEqualTo(Added.DUPLICATE);
    }

    @Test
    void aNameNoUserHoldsGetsNoPasskey() {
        User nobody = UserStoreContract.newUser();
        Passkey passkey = newPasskey(nobody, T0);
        users().reserveUnknownAttempt(nobody.username(), T0, LockoutPolicy.DEFAULT);
        UserLookup counted = users().lookup(nobody.username(), T0);

        assertThat(passkeys().add(passkey, MAX)).isEqualTo(Added.NO_USER);

        assertThat(passkeys().find(passkey.credentialId())).isEmpty();
        assertThat(users().get(nobody.username())).isEmpty();
        assertThat(users().lookup(nobody.username(), T0)).as("the phantom is as it was").isEqualTo(counted);
    }

    @Test
    void noUserIsToldBeforeATakenCredentialId() {
        User owner = stored();
        Passkey theirs = added(owner);
        User nobody = UserStoreContract.newUser();

        assertThat(passkeys().add(new Passkey(theirs.credentialId(), nobody.username(), nobody.userId(),
                randomBase64Url(32), randomBase64Url(77), 0, theirs.aaguid(), List.of(), false, false, "Passkey", T0,
                Optional.empty(), false), MAX)).isEqualTo(Added.NO_USER);
        assertThat(found(theirs)).isEqualTo(theirs);
    }

    @Test
    void anotherUserIdUnderTheNameGetsNoPasskey() {
        User user = stored();
        Passkey wrongId = newPasskey(new User(user.username(), randomId(), user.passwordHash(), user.roles(),
                user.permissions(), UserStatus.ACTIVE, 0, Instant.EPOCH), T0);

        assertThat(passkeys().add(wrongId, MAX)).isEqualTo(Added.NO_USER);

        assertThat(passkeys().find(wrongId.credentialId())).isEmpty();
        assertThat(passkeys().list(user.username(), user.userId())).isEmpty();
    }

    // --- renaming, removing ---

    @Test
    void renamingChangesTheNameAlone() {
        User user = stored();
        Passkey passkey = added(user);
        Passkey other = added(user, T0.plusSeconds(1));

        assertThat(passkeys().rename(user.username(), user.userId(), passkey.credentialId(), "Laptop")).isTrue();

        assertThat(found(passkey)).usingRecursiveComparison().ignoringFields("name").isEqualTo(passkey);
        assertThat(found(passkey).name()).isEqualTo("Laptop");
        assertThat(found(other)).isEqualTo(other);
        assertThat(users().get(user.username())).contains(user);
    }

    @Test
    void someoneElsesPasskeyIsNeitherRenamedNorRemoved() {
        User owner = stored();
        User other = stored();
        Passkey theirs = added(owner);

        assertThat(passkeys().rename(other.username(), other.userId(), theirs.credentialId(), "Mine")).isFalse();
        assertThat(passkeys().remove(other.username(), other.userId(), theirs.credentialId())).isFalse();
        assertThat(passkeys().rename(owner.username(), other.userId(), theirs.credentialId(), "Mine")).isFalse();
        assertThat(passkeys().remove(owner.username(), other.userId(), theirs.credentialId())).isFalse();
        assertThat(passkeys().rename(other.username(), owner.userId(), theirs.credentialId(), "Mine")).isFalse();
        assertThat(passkeys().remove(other.username(), owner.userId(), theirs.credentialId())).isFalse();

        assertThat(found(theirs)).isEqualTo(theirs);
        assertThat(passkeys().list(owner.username(), owner.userId())).containsExactly(theirs);
        assertThat(passkeys().list(other.username(), other.userId())).isEmpty();
    }

    @Test
    void anUnknownCredentialIdIsNeitherRenamedNorRemoved() {
        User user = stored();
        added(user);

        assertThat(passkeys().rename(user.username(), user.userId(), randomBase64Url(32), "Laptop")).isFalse();
        assertThat(passkeys().remove(user.username(), user.userId(), randomBase64Url(32))).isFalse();
        assertThat(passkeys().remove(user.username(), user.userId(), "x".repeat(5000))).isFalse();
        assertThat(passkeys().list(user.username(), user.userId())).hasSize(1);
    }

    @Test
    void removingTakesThePasskeyFromTheListAndTheCredentialIdCanBeAddedAgain() {
        User user = stored();
        Passkey passkey = added(user);
        Passkey kept = added(user, T0.plusSeconds(1));

        assertThat(passkeys().remove(user.username(), user.userId(), passkey.credentialId())).isTrue();

        assertThat(passkeys().find(passkey.credentialId())).isEmpty();
        assertThat(passkeys().list(user.username(), user.userId())).containsExactly(kept);
        assertThat(passkeys().remove(user.username(), user.userId(), passkey.credentialId())).as("once").isFalse();
        assertThat(passkeys().add(passkey, MAX)).isEqualTo(Added.ADDED);
        assertThat(users().get(user.username())).contains(user);
    }

    @Test
    void removingEveryPasskeyLeavesAnEmptyListAndTheHandle() {
        User user = stored();
        String handle = passkeys().userHandle(user.username(), user.userId(), "handle").orElseThrow();
        Passkey passkey = added(user);

        passkeys().remove(user.username(), user.userId(), passkey.credentialId());

        assertThat(passkeys().list(user.username(), user.userId())).isEmpty();
        assertThat(passkeys().userHandle(user.username(), user.userId(), "other")).contains(handle);
        assertThat(users().get(user.username())).contains(user);
    }

    @Test
    void aUserReCreatedUnderTheNameHasNoneOfTheOldPasskeys() {
        User old = stored();
        Passkey oldPasskey = added(old);
        User successor = recreate(old);

        assertThat(passkeys().list(successor.username(), successor.userId())).isEmpty();
        assertThat(passkeys().list(old.username(), old.userId())).isEmpty();
        assertThat(passkeys().find(oldPasskey.credentialId()).filter(left -> !left.userId().equals(old.userId())))
                .as("if left behind, it still names the old user, whom a sign-in no longer finds").isEmpty();
        assertThat(passkeys().add(newPasskey(old, T0), MAX)).isEqualTo(Added.NO_USER);
        assertThat(passkeys().rename(old.username(), old.userId(), oldPasskey.credentialId(), "Stolen")).isFalse();
        assertThat(passkeys().remove(old.username(), old.userId(), oldPasskey.credentialId())).isFalse();
        assertThat(passkeys().find(oldPasskey.credentialId()).map(Passkey::name)).isNotEqualTo(Optional.of("Stolen"));

        Passkey theirs = added(successor);
        assertThat(passkeys().rename(old.username(), old.userId(), theirs.credentialId(), "Stolen")).isFalse();
        assertThat(passkeys().remove(old.username(), old.userId(), theirs.credentialId())).isFalse();
        assertThat(passkeys().list(successor.username(), successor.userId())).containsExactly(theirs);
    }

    @Test
    void theUsersOtherWritesLeaveItsPasskeysAndHandleAlone() {
        User user = stored();
        String handle = passkeys().userHandle(user.username(), user.userId(), "handle").orElseThrow();
        Passkey passkey = added(user);

        users().replacePasswordHash(user.username(), "$argon2id$v=19$m=19456,t=2,p=1$YQ$YWRtaW4");
        users().replacePasswordHash(users().get(user.username()).orElseThrow(), "$argon2id$v=19$m=19456,t=2,p=1$YQ$Y2hh");
        for (int i = 0; i < LockoutPolicy.DEFAULT.freeAttempts(); i++) {
            users().reserveAttempt(user.username(), T0, LockoutPolicy.DEFAULT);
        }
        users().recordSuccessfulLogin(user.username());
        users().registerSession(users().get(user.username()).orElseThrow(), "session-a", T0.plus(Duration.ofHours(8)),
                T0);
        users().closeSessionEpoch(user.username(), user.userId(), T0);
        users().disable(user.username());

        assertThat(passkeys().list(user.username(), user.userId())).containsExactly(passkey);
        assertThat(passkeys().userHandle(user.username(), user.userId(), "other")).contains(handle);
    }

    // --- signing in: uses and flags ---

    @Test
    void aUseIsRecordedAtThePreviousCounter() {
        User user = stored();
        Passkey passkey = added(user);
        Instant now = T0.plusSeconds(300);

        assertThat(passkeys().recordUse(passkey.credentialId(), passkey.signCount(), 6, true, now)).isTrue();

        Passkey used = found(passkey);
        assertThat(used).usingRecursiveComparison().ignoringFields("signCount", "backedUp", "lastUsedAt")
                .isEqualTo(passkey);
        assertThat(used.signCount()).isEqualTo(6);
        assertThat(used.backedUp()).isTrue();
        assertThat(used.lastUsedAt()).contains(now);
    }

    @Test
    void aUseAtAnotherCounterIsRefusedAndChangesNothing() {
        User user = stored();
        Passkey passkey = added(user);

        assertThat(passkeys().recordUse(passkey.credentialId(), 4, 6, true, T0.plusSeconds(300))).isFalse();
        assertThat(passkeys().recordUse(passkey.credentialId(), 6, 7, true, T0.plusSeconds(300))).isFalse();

        assertThat(found(passkey)).isEqualTo(passkey);
    }

    @Test
    void twoUsesAtOneCounterRecordOne() {
        User user = stored();
        Passkey passkey = added(user);

        assertThat(passkeys().recordUse(passkey.credentialId(), 5, 6, false, T0.plusSeconds(1))).isTrue();
        assertThat(passkeys().recordUse(passkey.credentialId(), 5, 6, false, T0.plusSeconds(2))).isFalse();
        assertThat(passkeys().recordUse(passkey.credentialId(), 6, 7, false, T0.plusSeconds(3))).isTrue();

        assertThat(found(passkey).signCount()).isEqualTo(7);
        assertThat(found(passkey).lastUsedAt()).contains(T0.plusSeconds(3));
    }

    @Test
    void tenUsesAtOnceAtOneCounterRecordOne() throws Exception {
        User user = stored();
        Passkey passkey = added(user);
        List<Callable<Boolean>> uses = new ArrayList<>();
        for (int i = 0; i < PARALLEL; i++) {
            Instant at = T0.plusSeconds(i);
            uses.add(() -> passkeys().recordUse(passkey.credentialId(), 5, 6, true, at));
        }

        List<Boolean> results = inParallel(uses);

        assertThat(results).containsOnlyOnce(true).filteredOn(Boolean.FALSE::equals).hasSize(PARALLEL - 1);
        assertThat(found(passkey).lastUsedAt()).contains(T0.plusSeconds(results.indexOf(true)));
    }

    @Test
    void aPasskeyWithoutACounterKeepsZero() {
        User user = stored();
        Passkey passkey = new Passkey(randomBase64Url(32), user.username(), user.userId(), randomBase64Url(32),
                randomBase64Url(77), 0, "00000000-0000-0000-0000-000000000000", List.of("internal"), true, true,
                "Passkey", T0, Optional.empty(), false);
        passkeys().add(passkey, MAX);

        assertThat(passkeys().recordUse(passkey.credentialId(), 0, 0, true, T0.plusSeconds(10))).isTrue();

        assertThat(found(passkey).signCount()).isZero();
        assertThat(found(passkey).lastUsedAt()).contains(T0.plusSeconds(10));
    }

    @Test
    void aNegativeCounterIsNeverRecorded() {
        User user = stored();
        Passkey passkey = added(user);

        assertThatThrownBy(() -> passkeys().recordUse(passkey.credentialId(), 5, -1, false, T0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(found(passkey)).isEqualTo(passkey);
    }

    @Test
    void flaggingMarksThePasskeyAlone() {
        User user = stored();
        Passkey passkey = added(user);
        Passkey other = added(user, T0.plusSeconds(1));

        assertThat(passkeys().flag(passkey.credentialId(), T0.plusSeconds(60))).isTrue();
        assertThat(passkeys().flag(passkey.credentialId(), T0.plusSeconds(120))).as("again: still flagged").isTrue();

        assertThat(found(passkey)).usingRecursiveComparison().ignoringFields("flagged").isEqualTo(passkey);
        assertThat(found(passkey).flagged()).isTrue();
        assertThat(found(other).flagged()).isFalse();
        assertThat(passkeys().list(user.username(), user.userId()).getFirst().flagged()).isTrue();
    }

    @Test
    void aRemovedOrUnknownPasskeyIsNeitherUsedNorFlagged() {
        User user = stored();
        Passkey passkey = added(user);
        passkeys().remove(user.username(), user.userId(), passkey.credentialId());

        assertThat(passkeys().recordUse(passkey.credentialId(), 5, 6, false, T0)).isFalse();
        assertThat(passkeys().flag(passkey.credentialId(), T0)).isFalse();
        assertThat(passkeys().recordUse(randomBase64Url(32), 0, 1, false, T0)).isFalse();
        assertThat(passkeys().flag(randomBase64Url(32), T0)).isFalse();
        assertThat(passkeys().find(passkey.credentialId())).as("neither writes a passkey back").isEmpty();
    }

    // --- challenges ---

    @Test
    void aChallengeIsSpentOnceWithItsRegistrant() {
        User user = stored();
        Challenge challenge = registration(user, T0.plus(PasskeyChallenge.LIFETIME));
        passkeys().saveChallenge(challenge);

        assertThat(passkeys().spendChallenge(challenge.challengeHash())).contains(challenge);
        assertThat(passkeys().spendChallenge(challenge.challengeHash())).as("spent").isEmpty();
    }

    @Test
    void aSignInChallengeHasNoRegistrant() {
        Challenge challenge = authentication(T0.plusMillis(300_001));
        passkeys().saveChallenge(challenge);

        assertThat(passkeys().spendChallenge(challenge.challengeHash())).contains(challenge);
    }

    @Test
    void anExpiredChallengeIsStillSpentAndReturnedForTheCallerToRefuse() {
        Challenge challenge = authentication(T0.minusSeconds(1));
        passkeys().saveChallenge(challenge);

        assertThat(passkeys().spendChallenge(challenge.challengeHash())).contains(challenge);
        assertThat(passkeys().spendChallenge(challenge.challengeHash())).isEmpty();
    }

    @Test
    void anUnknownChallengeIsNotThere() {
        passkeys().saveChallenge(authentication(T0));

        assertThat(passkeys().spendChallenge(PasskeyChallenge.generate(RANDOM).hash())).isEmpty();
    }

    @Test
    void challengesAreSpentEachByItsOwnHash() {
        User user = stored();
        Challenge one = registration(user, T0.plusSeconds(300));
        Challenge two = authentication(T0.plusSeconds(300));
        passkeys().saveChallenge(one);
        passkeys().saveChallenge(two);

        assertThat(passkeys().spendChallenge(two.challengeHash())).contains(two);
        assertThat(passkeys().spendChallenge(one.challengeHash())).contains(one);
    }

    @Test
    void tenSpendsOfOneChallengeAtOnceGiveItToOne() throws Exception {
        Challenge challenge = authentication(T0.plusSeconds(300));
        passkeys().saveChallenge(challenge);
        List<Callable<Optional<Challenge>>> spends = new ArrayList<>();
        for (int i = 0; i < PARALLEL; i++) {
            spends.add(() -> passkeys().spendChallenge(challenge.challengeHash()));
        }

        List<Optional<Challenge>> results = inParallel(spends);

        assertThat(results).containsOnlyOnce(Optional.of(challenge))
                .filteredOn(Optional::isEmpty).hasSize(PARALLEL - 1);
    }

    // --- helpers ---

    /** Removes {@code old} as an operator would and creates another user (another id) under its name. */
    private User recreate(User old) {
        removeUser(old.username());
        User successor = new User(old.username(), randomId(), old.passwordHash(), old.roles(), old.permissions(),
                UserStatus.ACTIVE, 0, Instant.EPOCH);
        assertThat(users().create(successor)).isTrue();
        return successor;
    }

    /** Runs the tasks at once, released together; what each gave, in order. */
    private static <T> List<T> inParallel(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
