using LiveSessions.Web.Features.Roster;
using LiveSessions.Web.Features.Shared;
using Microsoft.Extensions.Time.Testing;

namespace LiveSessions.Tests.Roster;

/// <summary>An export waiting for its download: by its token, once, for the admin who wrote it, within its lifetime.</summary>
public sealed class PreparedExportsTests : IDisposable
{
    private static readonly CurrentUser Owner = new("owner@test.example", "owner", new HashSet<string> { Roles.Admin });
    private static readonly CurrentUser OtherAdmin = new("other@test.example", "other", new HashSet<string> { Roles.Admin });
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly PreparedExports exports;
    private readonly List<string> files = [];

    public PreparedExportsTests() => exports = new PreparedExports(clock);

    [Fact]
    public void The_owner_downloads_it_once_by_its_token()
    {
        var file = NewFile();
        var token = exports.Keep(7, file, Owner);

        var taken = exports.Take(7, token, Owner);
        Assert.True(taken.IsOk, taken.Message);
        Assert.Equal(file.Path, taken.Value!.Path);

        var again = exports.Take(7, token, Owner);
        Assert.Equal(OutcomeKind.NotFound, again.Kind);
    }

    [Fact]
    public void Another_admin_a_learner_or_another_session_gets_nothing_and_does_not_use_it_up()
    {
        var token = exports.Keep(7, NewFile(), Owner);

        Assert.Equal(OutcomeKind.NotFound, exports.Take(7, token, OtherAdmin).Kind);
        Assert.Equal(OutcomeKind.NotFound, exports.Take(7, token, new CurrentUser(Owner.Email, "owner", new HashSet<string> { Roles.Learner })).Kind);
        Assert.Equal(OutcomeKind.NotFound, exports.Take(8, token, Owner).Kind);
        Assert.Equal(OutcomeKind.NotFound, exports.Take(7, token + "x", Owner).Kind);

        Assert.True(exports.Take(7, token, Owner).IsOk);
    }

    [Fact]
    public void After_its_lifetime_it_is_gone_and_its_file_deleted()
    {
        var late = NewFile();
        var lateToken = exports.Keep(7, late, Owner);
        clock.Advance(PreparedExports.Lifetime);

        Assert.Equal(OutcomeKind.NotFound, exports.Take(7, lateToken, Owner).Kind);
        Assert.False(File.Exists(late.Path));

        // A forgotten export goes when the next one is kept.
        var forgotten = NewFile();
        exports.Keep(7, forgotten, Owner);
        clock.Advance(PreparedExports.Lifetime + TimeSpan.FromSeconds(1));
        var fresh = exports.Keep(7, NewFile(), Owner);
        Assert.False(File.Exists(forgotten.Path));
        Assert.True(exports.Take(7, fresh, Owner).IsOk);
    }

    [Fact]
    public void Tokens_are_unguessable_and_never_repeat()
    {
        var tokens = Enumerable.Range(0, 200).Select(_ => exports.Keep(7, NewFile(), Owner)).ToList();
        Assert.Equal(200, tokens.Distinct(StringComparer.Ordinal).Count());
        Assert.All(tokens, t => Assert.True(t.Length >= 43, $"{t} is short"));
    }

    public void Dispose()
    {
        exports.Dispose();
        foreach (var path in files)
        {
            File.Delete(path);
        }
    }

    private ExportFile NewFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"prepared-export-{Guid.NewGuid():N}.xlsx");
        File.WriteAllText(path, "sheet");
        files.Add(path);
        return new ExportFile("learners.xlsx", path, 1);
    }
}
