// Build script of the L4Re router SDK: `dotnet tool restore && dotnet cake --target=<Target>`.
// Targets: Clean, Build, Test (default), Pack, Bench.
using System.Xml.Linq;

var target = Argument("target", "Test");
var configuration = Argument("configuration", "Release");
var benchFilter = Argument("filter", "*");

var root = MakeAbsolute(Directory("."));
var solution = root.CombineWithFilePath("L4Re.slnx");
var artifacts = root.Combine("artifacts");
var testResults = artifacts.Combine("test-results");
var packages = artifacts.Combine("packages");
var cache = root.Combine(".cache");

// Debian packages the tests use as references and oracles (cross toolchain, QEMU, dtc, regdb, tshark).
// Later issues add their prerequisites here, in one place.
var debianPackages = new[]
{
    "gcc-mipsel-linux-gnu", "binutils-mipsel-linux-gnu", "libc6-dev-mipsel-cross",
    "qemu-system-mips", "qemu-user-static",
    "device-tree-compiler", "wireless-regdb", "tshark",
    "cpio", "xz-utils", "gzip",
};

Task("Clean")
    .Does(() =>
{
    CleanDirectories(new[] { artifacts.FullPath });
    DotNetClean(solution.FullPath, new DotNetCleanSettings { Configuration = configuration });
});

Task("Build")
    .Does(() =>
{
    DotNetBuild(solution.FullPath, new DotNetBuildSettings { Configuration = configuration });
});

Task("Prerequisites")
    .Description("Installs the Debian packages and guest downloads the tests need, where missing and possible.")
    .Does(() =>
{
    InstallDebianPackages(debianPackages);
    var script = root.CombineWithFilePath("scripts/fetch-guest.sh");
    var rc = StartProcess("bash", new ProcessSettings { Arguments = $"\"{script.FullPath}\" \"{cache.FullPath}\"" });
    if (rc != 0)
        Warning($"scripts/fetch-guest.sh exited with {rc}; tests that need Debian mipsel guest software will fail.");
    var initramfs = root.CombineWithFilePath("scripts/build-initramfs.sh");
    rc = StartProcess("bash", new ProcessSettings { Arguments = $"\"{initramfs.FullPath}\" \"{cache.FullPath}\"" });
    if (rc != 0)
        Warning($"scripts/build-initramfs.sh exited with {rc}; tests that boot the busybox initramfs will fail.");
});

Task("Test")
    .IsDependentOn("Prerequisites")
    .IsDependentOn("Build")
    .Does(() =>
{
    CleanDirectories(new[] { testResults.FullPath });
    var projects = GetFiles(root.FullPath + "/tests/*/*.Tests.csproj").OrderBy(p => p.FullPath).ToList();
    var env = new Dictionary<string, string> { ["L4RE_CACHE"] = cache.FullPath };
    foreach (var project in projects)
    {
        var name = project.GetFilenameWithoutExtension().ToString();
        try
        {
            DotNetTest(project.FullPath, new DotNetTestSettings
            {
                Configuration = configuration,
                NoBuild = true,
                NoRestore = true,
                ResultsDirectory = testResults,
                Loggers = new[] { $"trx;LogFileName={name}.trx", "console;verbosity=normal" },
                EnvironmentVariables = env,
            });
        }
        catch (Exception e)
        {
            Warning($"{name}: {e.Message}");
        }
    }

    long passed = 0, failed = 0, skipped = 0;
    foreach (var project in projects)
    {
        var name = project.GetFilenameWithoutExtension().ToString();
        var trx = testResults.CombineWithFilePath(name + ".trx");
        if (!FileExists(trx))
        {
            Error($"{name}: no test results (the test host did not run or crashed)");
            failed++;
            continue;
        }
        var counters = XDocument.Load(trx.FullPath).Descendants().First(e => e.Name.LocalName == "Counters");
        long C(string a) => long.TryParse(counters.Attribute(a)?.Value, out var v) ? v : 0;
        var p = C("passed");
        var f = C("failed") + C("error") + C("timeout") + C("aborted");
        var s = C("notExecuted") + C("inconclusive") + C("notRunnable") + C("disconnected") + C("warning") + C("pending");
        Console.WriteLine($"{name}: {p} passed, {f} failed, {s} skipped");
        passed += p; failed += f; skipped += s;
    }
    // The closing line, plain (no colour codes): .ci/run and readers grep for it.
    Console.WriteLine($"{passed} passed, {failed} failed, {skipped} skipped");
    if (failed > 0)
        throw new Exception($"{failed} test(s) failed");
});

Task("Pack")
    .Does(() =>
{
    CleanDirectories(new[] { packages.FullPath });
    DotNetPack(solution.FullPath, new DotNetPackSettings
    {
        Configuration = configuration,
        OutputDirectory = packages,
    });
    var nupkgs = GetFiles(packages.FullPath + "/*.nupkg");
    foreach (var p in nupkgs)
        Information(p.GetFilename().ToString());
    Information($"{nupkgs.Count} packages in {packages.FullPath}");
});

Task("Bench")
    .Description("Runs the BenchmarkDotNet suite in a short job (use --filter=<glob> to select).")
    .Does(() =>
{
    DotNetRun(root.CombineWithFilePath("bench/L4Re.Benchmarks/L4Re.Benchmarks.csproj").FullPath,
        new ProcessArgumentBuilder().Append("--filter").AppendQuoted(benchFilter).Append("--job").Append("short")
            .Append("--artifacts").AppendQuoted(artifacts.Combine("benchmarks").FullPath),
        new DotNetRunSettings { Configuration = "Release" });
});

RunTarget(target);

// Installs the Debian packages that are missing, when running as root with apt-get available.
void InstallDebianPackages(IEnumerable<string> names)
{
    var missing = names.Where(n => StartProcess("dpkg-query", new ProcessSettings
    {
        Arguments = $"-W -f=${{Status}} {n}",
        RedirectStandardOutput = true,
        RedirectStandardError = true,
    }, out var output) != 0 || !string.Join("", output).Contains("install ok installed")).ToList();
    if (missing.Count == 0)
    {
        Information("Debian prerequisites are installed.");
        return;
    }
    var isRoot = Environment.UserName == "root";
    if (!isRoot || StartProcess("sh", "-c \"command -v apt-get\"") != 0)
    {
        Warning($"Missing Debian packages (not root or no apt-get, not installing): {string.Join(" ", missing)}");
        return;
    }
    Information($"Installing Debian packages: {string.Join(" ", missing)}");
    var env = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };
    StartProcess("apt-get", new ProcessSettings { Arguments = "-q update", EnvironmentVariables = env });
    var rc = StartProcess("apt-get", new ProcessSettings
    {
        Arguments = "-q install -y --no-install-recommends " + string.Join(" ", missing),
        EnvironmentVariables = env,
    });
    if (rc != 0)
        Warning($"apt-get install exited with {rc}");
}
