using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LiveSessions.Web.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class CalendarReplies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CalendarUid",
                table: "SessionLearners",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            // Learners who may already hold an event keep the UID it was sent with, so updates and cancellations still
            // reach it; learners added from now on get a random one.
            migrationBuilder.Sql("UPDATE \"SessionLearners\" SET \"CalendarUid\" = 'session-' || CAST(\"SessionId\" AS TEXT) || '-learner-' || CAST(\"Id\" AS TEXT) || '@livesessions'");

            migrationBuilder.CreateTable(
                name: "CalendarReplies",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MessageKey = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    From = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    Uid = table.Column<string>(type: "TEXT", maxLength: 320, nullable: true),
                    Attendee = table.Column<string>(type: "TEXT", maxLength: 320, nullable: true),
                    Answer = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Sequence = table.Column<int>(type: "INTEGER", nullable: true),
                    SessionId = table.Column<int>(type: "INTEGER", nullable: true),
                    LearnerId = table.Column<int>(type: "INTEGER", nullable: true),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Detail = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CalendarReplies", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SessionLearners_CalendarUid",
                table: "SessionLearners",
                column: "CalendarUid",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CalendarReplies_MessageKey",
                table: "CalendarReplies",
                column: "MessageKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CalendarReplies_ReceivedAt",
                table: "CalendarReplies",
                column: "ReceivedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CalendarReplies");

            migrationBuilder.DropIndex(
                name: "IX_SessionLearners_CalendarUid",
                table: "SessionLearners");

            migrationBuilder.DropColumn(
                name: "CalendarUid",
                table: "SessionLearners");
        }
    }
}
