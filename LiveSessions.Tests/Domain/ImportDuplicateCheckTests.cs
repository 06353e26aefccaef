using LiveSessions.Domain;

namespace LiveSessions.Tests.Domain;

/// <summary>The roster's lookup by employee, which an import asks once per row while it adds.</summary>
public sealed class ImportDuplicateCheckTests
{
    [Fact]
    public void A_roster_of_thousands_finds_each_learner_by_employee_and_refuses_adding_one_twice()
    {
        var session = Build.Session().Build();
        var people = Enumerable.Range(0, 5_000).Select(i => Build.Employee($"Learner {i}")).ToList();
        foreach (var person in people)
        {
            Assert.Null(session.FindLearner(person));
            session.AddLearner(person, Fixed.Admin, Fixed.Now).MustBeDone();
        }

        Assert.All(people, p => Assert.Same(p, session.FindLearner(p)!.Employee));
        Assert.Null(session.FindLearner(Build.Employee("Stranger")));
        var again = session.AddLearner(people[1234], Fixed.Admin, Fixed.Now);
        Assert.False(again.IsDone);
        Assert.Contains("already in this session", again.Refusal, StringComparison.Ordinal);
        Assert.Equal(5_000, session.Learners.Count);
    }
}
