using ConR.Training.Depth.Synth;

namespace ConR.Training.Tests.Depth.Synth;

/// <summary>The renderer's lamps (the lighting option): Lambert with inverse-square falloff, and shadows cast towards them.</summary>
public sealed class SynthPointLightTests
{
    private const int W = 128, H = 96;

    [Fact]
    public void Lamp_LightsTheFloorWithInverseSquareFalloff_AndABoxInBetweenShadowsIt()
    {
        // No sun, no ambient: all light comes from one lamp 2.5 m above the floor point (2.5, 0, 5). A box stands on
        // the line from the lamp to the floor point (4.3, 0, 5).
        var b = new SynthSceneBuilder();
        int grey = b.AddMaterial(SynthMaterial.Solid(new V3(0.5, 0.5, 0.5)));
        int box = b.AddMaterial(SynthMaterial.Solid(new V3(0.3, 0.3, 0.3)));
        b.BeginObject();
        b.AddBox(new V3(3.85, 0.5, 5), new V3(0.1, 0.1, 0.3), 0, box);
        b.EndObject();
        var camera = new SynthCamera(new V3(2.5, 1.6, 0.5), 0, -0.35, 0, 58);
        var lamp = new SynthPointLight(new V3(2.5, 2.5, 5), new V3(2, 2, 2));
        var scene = b.Build(
            5, 3, 9, camera, [grey, grey, grey, grey, grey, grey], new V3(0, 1, 0), V3.Zero, V3.Zero,
            cornerShading: false, sensorNoise: false, pointLights: [lamp]);
        var rgb = new byte[W * H * 3];
        var depth = new float[W * H];

        SynthRenderer.Render(scene, W, H, rgb, depth);

        // Under the lamp: 0.5 * 2 / 2.5^2; 1.5 m to the side: 0.5 * 2 * cos / d^2 with d^2 = 2.5^2 + 1.5^2.
        double d2 = (2.5 * 2.5) + (1.5 * 1.5);
        AssertNear(Srgb(0.5 * 2 / 6.25), rgb[3 * Pixel(camera, new V3(2.5, 0, 5))]);
        AssertNear(Srgb(0.5 * 2 * (2.5 / Math.Sqrt(d2)) / d2), rgb[3 * Pixel(camera, new V3(1.0, 0, 5))]);
        Assert.Equal(0, rgb[3 * Pixel(camera, new V3(4.3, 0, 5))]);
    }

    [Theory]
    [InlineData(0, true)] // the lamp's own pole: no shadow
    [InlineData(-1, false)] // any other object around the bulb: shadow
    public void BulbInsideItsOwnLamp_IsNotShadowedByIt(int lampObject, bool lit)
    {
        // The bulb sits inside a pole (object 0), as a floor lamp's does; no sun, no ambient.
        var b = new SynthSceneBuilder();
        int grey = b.AddMaterial(SynthMaterial.Solid(new V3(0.5, 0.5, 0.5)));
        b.BeginObject();
        b.AddCylinder(new V3(2.5, 1.2, 5), 0.015, 1.2, grey);
        b.EndObject();
        var camera = new SynthCamera(new V3(2.5, 1.6, 0.5), 0, -0.35, 0, 58);
        var scene = b.Build(
            5, 3, 9, camera, [grey, grey, grey, grey, grey, grey], new V3(0, 1, 0), V3.Zero, V3.Zero,
            cornerShading: false, sensorNoise: false, pointLights: [new SynthPointLight(new V3(2.5, 1.5, 5), new V3(2, 2, 2), lampObject)]);
        var rgb = new byte[W * H * 3];

        SynthRenderer.Render(scene, W, H, rgb, new float[W * H]);

        Assert.Equal(lit, rgb[3 * Pixel(camera, new V3(1.8, 0, 5))] > 50);
    }

    [Fact]
    public void NoLampsAndExposureOne_RenderTheFirstGeneratorsPixels()
    {
        var plain = SynthSceneSampler.Sample(2, 1);
        var rgb = new byte[W * H * 3];
        var depth = new float[W * H];

        SynthRenderer.Render(plain, W, H, rgb, depth);

        Assert.Equal(SynthDepthGenerator.RenderScene(2, 1, W, H).Rgb, rgb);
        Assert.Empty(plain.PointLights);
        Assert.Equal(1.0, plain.Exposure);
    }

    private static void AssertNear(double expected, byte actual) => Assert.InRange(actual, expected - 2, expected + 2);

    private static int Pixel(SynthCamera camera, V3 world)
    {
        Assert.True(camera.TryProject(world, W, H, out double px, out double py, out _));
        return ((int)Math.Round(py) * W) + (int)Math.Round(px);
    }

    private static double Srgb(double linear) => Math.Pow(linear, 1 / 2.2) * 255;
}
