using ConR.Training.Depth.Synth;

namespace ConR.Training.Tests.Depth.Synth;

public class SynthRendererTests
{
    private const int W = 128;
    private const int H = 96;

    [Fact]
    public void Render_FloorPointInBoxShadow_DarkerThanLitFloorOfSameMaterial()
    {
        // A 0.5 × 1 × 0.5 m box on a uniform floor; the light comes from +x at 45°, so the floor just left (−x) of the
        // box is in its shadow and the floor further towards the camera is lit.
        var b = new SynthSceneBuilder();
        int wall = b.AddMaterial(SynthMaterial.Solid(new V3(0.5, 0.5, 0.5)));
        int floor = b.AddMaterial(SynthMaterial.Solid(new V3(0.6, 0.6, 0.6)));
        int box = b.AddMaterial(SynthMaterial.Solid(new V3(0.3, 0.2, 0.1)));
        b.BeginObject();
        b.AddBox(new V3(2.25, 0.5, 4.25), new V3(0.25, 0.5, 0.25), 0, box);
        b.EndObject();
        var camera = new SynthCamera(new V3(2, 1.5, 0.5), 0, -0.35, 0, 58);
        var scene = b.Build(
            5, 3, 8, camera, [wall, wall, floor, wall, wall, wall], new V3(1, 1, 0), new V3(0.8, 0.8, 0.8), new V3(0.3, 0.3, 0.3),
            cornerShading: false, sensorNoise: false);
        var rgb = new byte[W * H * 3];
        var depth = new float[W * H];

        SynthRenderer.Render(scene, W, H, rgb, depth);

        var shadowed = new V3(1.5, 0, 4.25);
        var lit = new V3(1.5, 0, 3.0);
        int shadowPixel = VisiblePixel(camera, depth, shadowed);
        int litPixel = VisiblePixel(camera, depth, lit);
        // Lambert: lit = albedo·(ambient + light·cos 45°), shadowed = albedo·ambient, then gamma 2.2.
        Assert.InRange(rgb[3 * shadowPixel], Srgb(0.6 * 0.3) - 2, Srgb(0.6 * 0.3) + 2);
        Assert.InRange(rgb[3 * litPixel], Srgb(0.6 * (0.3 + (0.8 * Math.Sqrt(0.5)))) - 2, Srgb(0.6 * (0.3 + (0.8 * Math.Sqrt(0.5)))) + 2);
        Assert.True(rgb[3 * litPixel] > rgb[3 * shadowPixel] + 50);
    }

    [Fact]
    public void Render_LevelCameraInEmptyRoom_FloorDepthIncreasesTowardsHorizonRow()
    {
        var b = new SynthSceneBuilder();
        int m = b.AddMaterial(SynthMaterial.Solid(new V3(0.5, 0.5, 0.5)));
        const double CamHeight = 1.4;
        const double FarWall = 8.5;
        var camera = new SynthCamera(new V3(2.5, CamHeight, 0.5), 0, 0, 0, 58);
        var scene = b.Build(5, 3, 9, camera, [m, m, m, m, m, m], new V3(0, 1, 0), new V3(1, 1, 1), new V3(0.2, 0.2, 0.2));
        var rgb = new byte[W * H * 3];
        var depth = new float[W * H];

        SynthRenderer.Render(scene, W, H, rgb, depth);

        int x = W / 2;
        double tanV = Math.Tan(29 * Math.PI / 180) * H / W;
        int floorRows = 0;
        for (int y = H - 1; y > H / 2; y--)
        {
            float here = depth[(y * W) + x];
            float above = depth[((y - 1) * W) + x];
            Assert.True(above >= here, $"row {y - 1} ({above} m) is nearer than row {y} ({here} m)");
            double down = (((y + 0.5) / H * 2) - 1) * tanV; // how far below the optical axis the ray points
            double floorDepth = CamHeight / down;
            if (floorDepth < FarWall - 0.05)
            {
                floorRows++;
                Assert.Equal(floorDepth, here, 3);
                Assert.True(above > here, $"floor row {y - 1} is not farther than row {y}");
            }
        }

        Assert.True(floorRows > 20, $"only {floorRows} floor rows");
        Assert.Equal(FarWall, depth[((H / 2) * W) + x], 3); // the horizon row sees the far wall
    }

    [Fact]
    public void Render_ZDepth_IsDistanceAlongCameraAxisNotAlongRay()
    {
        // Facing a wall 4 m away head-on: every wall pixel has z-depth 4, even at the image corners.
        var b = new SynthSceneBuilder();
        int m = b.AddMaterial(SynthMaterial.Solid(new V3(0.5, 0.5, 0.5)));
        var camera = new SynthCamera(new V3(5, 10, 1), 0, 0, 0, 58);
        var scene = b.Build(10, 20, 5, camera, [m, m, m, m, m, m], new V3(0, 1, 0), new V3(1, 1, 1), new V3(0.2, 0.2, 0.2));
        var rgb = new byte[W * H * 3];
        var depth = new float[W * H];

        SynthRenderer.Render(scene, W, H, rgb, depth);

        float worst = depth.MaxBy(d => Math.Abs(d - 4f));
        Assert.Equal(4f, worst, 4);
    }

    [Fact]
    public void Camera_ProjectRayPoint_ReturnsSamePixel()
    {
        var camera = new SynthCamera(new V3(1, 1.5, 2), 0.4, -0.2, 0.05, 58);
        var d = camera.Ray(37, 61, W, H);

        Assert.True(camera.TryProject(camera.Position + (d * 3.2), W, H, out double px, out double py, out double z));
        Assert.Equal(37, px, 9);
        Assert.Equal(61, py, 9);
        Assert.Equal(3.2, z, 9);
        Assert.Equal(1, V3.Dot(d, camera.Forward), 12);
    }

    [Fact]
    public void Primitive_YawRotatedBox_HitAtRotatedFace()
    {
        // A 2 × 2 × 2 box at the origin turned 45°: its nearest edge along the −x axis is at x = −√2.
        var box = new SynthPrimitive(SynthPrimitiveKind.Box, V3.Zero, new V3(1, 1, 1), Math.PI / 4, 0);

        double t = box.Intersect(new V3(-5, 0, 0), new V3(1, 0, 0), double.PositiveInfinity);

        Assert.Equal(5 - Math.Sqrt(2), t, 9);
        Assert.Equal(double.PositiveInfinity, box.Intersect(new V3(-5, 0, 0), new V3(1, 0, 0), 3.0)); // beyond tMax
        Assert.Equal(double.PositiveInfinity, box.Intersect(new V3(-5, 1.5, 0), new V3(1, 0, 0), double.PositiveInfinity));
    }

    [Fact]
    public void Primitive_CylinderAndSphere_HitSideCapAndSurface()
    {
        var cylinder = new SynthPrimitive(SynthPrimitiveKind.Cylinder, new V3(0, 1, 0), new V3(0.5, 1, 0.5), 0, 0);
        var sphere = new SynthPrimitive(SynthPrimitiveKind.Sphere, new V3(0, 0, 3), new V3(1, 1, 1), 0, 0);

        Assert.Equal(4.5, cylinder.Intersect(new V3(-5, 1, 0), new V3(1, 0, 0), double.PositiveInfinity), 9); // side
        Assert.Equal(3.0, cylinder.Intersect(new V3(0.2, 5, 0), new V3(0, -1, 0), double.PositiveInfinity), 9); // top cap
        Assert.Equal(double.PositiveInfinity, cylinder.Intersect(new V3(-5, 2.5, 0), new V3(1, 0, 0), double.PositiveInfinity));
        Assert.Equal(1.0, sphere.Intersect(V3.Zero, new V3(0, 0, 2), double.PositiveInfinity), 9); // d not unit: t = 2/2
        sphere.Surface(new V3(0, 0, 2), out var normal, out _, out _);
        Assert.Equal(-1, normal.Z, 9);
    }

    // The pixel nearest to a world point, checked to actually see that point (not something in front of it).
    private static int VisiblePixel(SynthCamera camera, float[] depth, V3 world)
    {
        Assert.True(camera.TryProject(world, W, H, out double px, out double py, out double z));
        int x = (int)Math.Round(px);
        int y = (int)Math.Round(py);
        Assert.InRange(x, 0, W - 1);
        Assert.InRange(y, 0, H - 1);
        int i = (y * W) + x;
        Assert.Equal(z, depth[i], 1); // within a pixel's footprint of the same floor point
        return i;
    }

    private static double Srgb(double linear) => Math.Pow(linear, 1 / 2.2) * 255;
}
