using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LiveSessions.Web.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ApprovalLevels : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Existing sessions and courses take the SPEC's default: the manager's manager (2 levels up).
            migrationBuilder.AddColumn<int>(
                name: "ApprovalLevels",
                table: "Sessions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 2);

            migrationBuilder.AddColumn<int>(
                name: "DefaultApprovalLevels",
                table: "Courses",
                type: "INTEGER",
                nullable: false,
                defaultValue: 2);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ApprovalLevels",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "DefaultApprovalLevels",
                table: "Courses");
        }
    }
}
